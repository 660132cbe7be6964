"""Logging interactions: stances and follow-ups on the spot, safe notes, who may edit, soft delete."""

from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.campaigns.models import StanceAssessment
from crm.extensions import db
from crm.outreach import operations
from crm.outreach.models import Interaction, Task
from tests.outreach.conftest import utc


def _form(legislators, campaign, **extra):
    data = {
        "kind": "meeting",
        "starts_at": "2026-11-20T10:30",
        "duration_minutes": "45",
        "place": "Despacho 301",
        "campaign_id": str(campaign.id),
        "legislator_ids": [str(x.id) for x in legislators],
        "notes": "Reunión cordial.",
        "outcome": "Pidió el informe legal.",
    }
    data.update(extra)
    return data


def test_officer_logs_a_meeting_with_two_legislators_stances_and_two_follow_ups(
    make_user, login_as, make_legislator, make_campaign
):
    officer = make_user("officer", name="Óscar Oficial")
    mendoza = make_legislator("Verónika Mendoza", aides=("Lucía Paredes",))
    mavila = make_legislator("Rosa Mavila")
    campaign = make_campaign()
    db.session.commit()
    aide = mendoza.aides[0]
    client = login_as(officer)
    response = client.post(
        "/interactions/new",
        data=_form(
            [mendoza, mavila],
            campaign,
            aide_ids=[str(aide.id)],
            staff_ids=[str(officer.id)],
            **{
                f"stance-{mendoza.id}": "leaning_yes",
                f"stance-{mavila.id}": "supporter",
                "task-0-title": "Enviar el informe legal",
                "task-0-due": "friday",
                "task-1-title": "Invitar al foro",
                "task-1-due": "date",
                "task-1-date": "2026-12-03",
                "task-1-time": "09:00",
                "task-1-legislator": str(mavila.id),
            },
        ),
    )
    assert response.status_code == 302
    interaction = db.session.execute(select(Interaction)).scalar_one()
    assert interaction.author_id == officer.id
    # 10:30 in Lima is 15:30 UTC.
    assert interaction.starts_at == utc(2026, 11, 20, 15, 30)
    assert [x.full_name for x in interaction.legislators] == ["Rosa Mavila", "Verónika Mendoza"]
    assert [a.name for a in interaction.aides] == ["Lucía Paredes"]
    stances = db.session.execute(select(StanceAssessment).order_by(StanceAssessment.level)).scalars().all()
    assert {(s.legislator_id, s.level, s.interaction_id) for s in stances} == {
        (mendoza.id, "leaning_yes", interaction.id),
        (mavila.id, "supporter", interaction.id),
    }
    tasks = db.session.execute(select(Task).order_by(Task.title)).scalars().all()
    assert [t.title for t in tasks] == ["Enviar el informe legal", "Invitar al foro"]
    assert all(t.interaction_id == interaction.id and t.assignee_id == officer.id for t in tasks)
    assert tasks[1].legislator_id == mavila.id
    assert tasks[1].due_at == utc(2026, 12, 3, 14, 0)
    actions = db.session.execute(select(AuditEntry.action)).scalars().all()
    assert "interaction.create" in actions and actions.count("stance.assess") == 2 and actions.count("task.create") == 2

    page = client.get(response.headers["Location"])
    body = page.get_data(as_text=True)
    assert "Verónika Mendoza" in body and "Enviar el informe legal" in body and "Se inclina a favor" in body


def test_markup_in_notes_is_shown_as_text_with_links_and_line_breaks(make_user, login_as, make_legislator, make_campaign):
    officer = make_user("officer")
    legislator = make_legislator("Rosa Mavila")
    campaign = make_campaign()
    db.session.commit()
    client = login_as(officer)
    notes = '<script>alert("x")</script><img src=x onerror=alert(1)>\nVer https://example.org/informe?a=1&b=2 hoy\n"comillas"'
    response = client.post("/interactions/new", data=_form([legislator], campaign, notes=notes))
    assert response.status_code == 302
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;<br>" in body
    assert '<a href="https://example.org/informe?a=1&amp;b=2" rel="noopener noreferrer nofollow" target="_blank">' in body
    assert "&#34;comillas&#34;" in body


def test_bad_input_changes_nothing_and_keeps_what_was_typed(make_user, login_as, make_legislator, make_campaign):
    officer = make_user("officer")
    other = make_legislator("Rosa Mavila", aides=("Asesor Ajeno",))
    legislator = make_legislator("Verónika Mendoza")
    campaign = make_campaign()
    db.session.commit()
    client = login_as(officer)
    response = client.post("/interactions/new", data=_form([], campaign, notes="Notas que no quiero perder"))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Elija al menos un legislador." in body and "Notas que no quiero perder" in body
    # An aide of someone who was not there is refused, and nothing is written.
    response = client.post("/interactions/new", data=_form([legislator], campaign, aide_ids=[str(other.aides[0].id)]))
    assert response.status_code == 422
    assert "Los asesores deben trabajar con alguno de los legisladores elegidos." in response.get_data(as_text=True)
    assert db.session.execute(select(Interaction)).first() is None
    assert db.session.execute(select(Task)).first() is None


def _logged(officer, legislator, campaign, **fields):
    data = operations.InteractionInput(
        kind="call", starts_at=utc(2026, 11, 10, 15), legislator_ids=[legislator.id], campaign_id=campaign.id,
        notes=fields.pop("notes", "Llamada breve."), **fields,
    )
    interaction = operations.log_interaction(data, actor=officer)
    db.session.commit()
    return interaction


def test_only_author_director_or_admin_edit_and_delete(make_user, login_as, make_legislator, make_campaign):
    author = make_user("officer")
    intruder = make_user("officer")
    director = make_user("director")
    legislator = make_legislator("Rosa Mavila")
    campaign = make_campaign()
    interaction = _logged(author, legislator, campaign)
    client = login_as(intruder)
    url = f"/interactions/{interaction.id}"
    assert client.get(f"{url}/edit").status_code == 403
    assert client.post(f"{url}/edit", data=_form([legislator], campaign, notes="hackeado")).status_code == 403
    assert client.post(f"{url}/delete").status_code == 403
    db.session.expire_all()
    assert interaction.notes == "Llamada breve." and interaction.deleted_at is None
    denied = db.session.execute(select(AuditEntry).where(AuditEntry.action == "permission.denied")).scalars().all()
    assert denied and denied[-1].object_type == "Interaction"

    page = login_as(author).get(f"{url}/edit")
    assert page.status_code == 200 and "Llamada breve." in page.get_data(as_text=True)
    client = login_as(director)
    response = client.post(f"{url}/edit", data=_form([legislator], campaign, kind="call", notes="Corregido por dirección"))
    assert response.status_code == 302
    db.session.expire_all()
    assert interaction.notes == "Corregido por dirección" and interaction.place == "Despacho 301"
    update = db.session.execute(select(AuditEntry).where(AuditEntry.action == "interaction.update")).scalar_one()
    assert update.old_values["notes"] == "Llamada breve." and update.new_values["notes"] == "Corregido por dirección"
    assert update.actor_id == director.id


def test_soft_delete_hides_and_admin_restores(make_user, login_as, make_legislator, make_campaign):
    author = make_user("officer")
    admin = make_user("admin")
    legislator = make_legislator("Rosa Mavila")
    campaign = make_campaign()
    interaction = _logged(author, legislator, campaign, notes="Para borrar")
    client = login_as(author)
    assert client.post(f"/interactions/{interaction.id}/delete").status_code == 302
    db.session.expire_all()
    assert interaction.deleted_at is not None and interaction.deleted_by_id == author.id
    assert db.session.get(Interaction, interaction.id) is not None
    assert "Para borrar" not in client.get("/interactions").get_data(as_text=True)
    assert client.get(f"/interactions/{interaction.id}").status_code == 404
    assert client.post(f"/interactions/{interaction.id}/restore").status_code == 404

    client = login_as(admin)
    listing = client.get("/interactions?deleted=1").get_data(as_text=True)
    assert "Rosa Mavila" in listing
    assert client.post(f"/interactions/{interaction.id}/restore").status_code == 302
    db.session.expire_all()
    assert interaction.deleted_at is None
    actions = db.session.execute(select(AuditEntry.action).where(AuditEntry.object_type == "Interaction")).scalars().all()
    assert actions == ["interaction.create", "interaction.delete", "interaction.restore"]


def test_director_restore_is_refused(make_user, login_as, make_legislator, make_campaign):
    author = make_user("officer")
    director = make_user("director")
    interaction = _logged(author, make_legislator("Rosa Mavila"), make_campaign())
    operations.delete_interaction(interaction, actor=author)
    db.session.commit()
    # Directors do not see deleted rows at all, so restoring is a 404 for them.
    assert login_as(director).post(f"/interactions/{interaction.id}/restore").status_code == 404
    assert db.session.get(Interaction, interaction.id).deleted_at is not None


def test_viewer_reads_allowed_interactions_without_internal_notes_and_never_writes(
    make_user, login_as, make_legislator, make_campaign, make_partner
):
    officer = make_user("officer")
    legislator = make_legislator("Rosa Mavila")
    campaign = make_campaign()
    hidden_campaign = make_campaign("Otra campaña")
    partner = make_partner(campaign=campaign)
    viewer = make_user("viewer", partner_organisation_id=partner.id)
    internal = _logged(officer, legislator, campaign, notes="Secreto del equipo", notes_internal=True)
    public = _logged(officer, legislator, campaign, notes="Nota compartida")
    other = _logged(officer, legislator, hidden_campaign, notes="Nota de otra campaña")
    client = login_as(viewer)
    body = client.get(f"/interactions/{internal.id}").get_data(as_text=True)
    assert "Secreto del equipo" not in body and "Las notas de este contacto son internas." in body
    assert "Nota compartida" in client.get(f"/interactions/{public.id}").get_data(as_text=True)
    assert client.get(f"/interactions/{other.id}").status_code == 404
    assert "Secreto del equipo" in login_as(officer).get(f"/interactions/{internal.id}").get_data(as_text=True)

    client = login_as(viewer)
    writes = [
        ("/log", {"step": "1", "legislator_ids": [str(legislator.id)]}),
        ("/interactions/new", _form([legislator], campaign)),
        (f"/interactions/{public.id}/edit", _form([legislator], campaign, notes="x")),
        (f"/interactions/{public.id}/delete", {}),
        (f"/interactions/{public.id}/restore", {}),
        ("/tasks/new", {"title": "x"}),
        ("/calendar", {"action": "create"}),
    ]
    for url, data in writes:
        assert client.post(url, data=data).status_code == 403, url
    assert db.session.execute(select(Interaction).where(Interaction.notes == "x")).first() is None
    assert db.session.execute(select(Task)).first() is None


def test_stance_without_campaign_is_refused(make_user, login_as, make_legislator, make_campaign):
    officer = make_user("officer")
    legislator = make_legislator("Rosa Mavila")
    campaign = make_campaign()
    db.session.commit()
    response = login_as(officer).post(
        "/interactions/new", data=_form([legislator], campaign, campaign_id="0", **{f"stance-{legislator.id}": "opposed"})
    )
    assert response.status_code == 422
    assert "Elija la campaña para registrar posturas." in response.get_data(as_text=True)
    assert db.session.execute(select(StanceAssessment)).first() is None


def test_interaction_list_costs_a_constant_number_of_statements(
    make_user, login_as, make_legislator, make_campaign, add_interaction, count_queries
):
    officer = make_user("officer")
    campaign = make_campaign()
    client = login_as(officer)
    counts = []
    for n in (2, 20):
        for i in range(n):
            people = [make_legislator(f"Diputada {n}-{i}-a"), make_legislator(f"Diputada {n}-{i}-b")]
            add_interaction(officer, people, starts_at=utc(2026, 10, 1 + i, 15), campaign=campaign)
        db.session.commit()
        with count_queries() as s:
            assert client.get("/interactions").status_code == 200
        counts.append(len(s))
    assert counts[0] == counts[1], counts
