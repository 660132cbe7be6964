"""The legislator timeline: interactions, stance changes, tasks and media, newest first, paginated."""

from datetime import date, timedelta

from crm.extensions import db
from tests.outreach.conftest import utc


def _history(officer, legislator, campaign, add_interaction, add_stance, add_task, add_mention, offset=0):
    base = utc(2026, 10, 1, 15) + timedelta(days=offset)
    add_interaction(officer, [legislator], starts_at=base, campaign=campaign, notes="Primera reunión")
    add_stance(campaign, legislator, "undecided", base + timedelta(days=1), by=officer)
    add_task(officer, f"Enviar informe {offset}", legislator=legislator, created_at=base + timedelta(days=2))
    add_mention([legislator], date(2026, 10, 5) + timedelta(days=offset), title=f"Entrevista {offset}")


def test_timeline_merges_every_kind_newest_first(
    make_user, login_as, make_legislator, make_campaign, add_interaction, add_stance, add_task, add_mention
):
    officer = make_user("officer")
    legislator = make_legislator("Rosa Mavila")
    campaign = make_campaign()
    _history(officer, legislator, campaign, add_interaction, add_stance, add_task, add_mention)
    add_interaction(officer, [legislator], starts_at=utc(2026, 9, 1, 15), notes="Borrada", deleted=True)
    db.session.commit()
    client = login_as(officer)
    response = client.get(f"/legislators/{legislator.id}/timeline", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    order = [body.index(x) for x in ("Entrevista 0", "Enviar informe 0", "Sin decidir", "Primera reunión")]
    assert order == sorted(order)
    assert "Borrada" not in body
    full = client.get(f"/legislators/{legislator.id}/timeline").get_data(as_text=True)
    assert "<html" in full and "Historial de Rosa Mavila" in full
    assert client.get("/legislators/999999/timeline").status_code == 404


def test_timeline_pages_with_a_more_link(
    make_user, login_as, make_legislator, make_campaign, add_interaction, add_stance, add_task, add_mention
):
    officer = make_user("officer")
    legislator = make_legislator("Rosa Mavila")
    campaign = make_campaign()
    for i in range(6):  # 24 entries: more than one page of 20
        _history(officer, legislator, campaign, add_interaction, add_stance, add_task, add_mention, offset=i * 10)
    db.session.commit()
    client = login_as(officer)
    first = client.get(f"/legislators/{legislator.id}/timeline", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert first.count('<li class="list-group-item">') == 20
    assert f'hx-get="/legislators/{legislator.id}/timeline?page=2"' in first
    second = client.get(f"/legislators/{legislator.id}/timeline?page=2", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert second.count('<li class="list-group-item">') == 4 and "page=3" not in second
    assert "Primera reunión" in second and "Entrevista 50" in first


def test_viewer_sees_no_internal_notes_no_tasks_and_only_granted_stances(
    make_user, login_as, make_legislator, make_campaign, make_partner, add_interaction, add_stance, add_task
):
    officer = make_user("officer")
    legislator = make_legislator("Rosa Mavila")
    shared = make_campaign("Campaña compartida")
    private = make_campaign("Campaña reservada")
    partner = make_partner(campaign=shared)
    viewer = make_user("viewer", partner_organisation_id=partner.id)
    add_interaction(officer, [legislator], starts_at=utc(2026, 10, 1, 15), campaign=shared, notes="Nota secreta", internal=True)
    add_interaction(officer, [legislator], starts_at=utc(2026, 10, 2, 15), campaign=shared, notes="Nota abierta")
    add_stance(shared, legislator, "leaning_yes", utc(2026, 10, 3, 15))
    add_stance(private, legislator, "hard_opposed", utc(2026, 10, 4, 15))
    add_task(officer, "Tarea interna", legislator=legislator)
    db.session.commit()
    body = login_as(viewer).get(f"/legislators/{legislator.id}/timeline", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Nota abierta" in body and "Nota secreta" not in body and "Notas internas." in body
    assert "Se inclina a favor" in body and "Se opone firmemente" not in body and "Campaña reservada" not in body
    assert "Tarea interna" not in body
    staff_body = login_as(officer).get(f"/legislators/{legislator.id}/timeline", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Nota secreta" in staff_body and "Se opone firmemente" in staff_body and "Tarea interna" in staff_body


def test_timeline_costs_a_constant_number_of_statements(
    make_user, login_as, make_legislator, make_campaign, add_interaction, add_stance, add_task, add_mention, count_queries
):
    officer = make_user("officer")
    campaign = make_campaign()
    client = login_as(officer)
    counts = []
    for repeats in (1, 5):
        legislator = make_legislator(f"Legisladora {repeats}")
        for i in range(repeats):
            _history(officer, legislator, campaign, add_interaction, add_stance, add_task, add_mention, offset=i)
        db.session.commit()
        with count_queries() as s:
            assert client.get(f"/legislators/{legislator.id}/timeline", headers={"HX-Request": "true"}).status_code == 200
        counts.append(len(s))
    assert counts[0] == counts[1] and counts[0] <= 10, counts
