"""Going cold: persuadable sitting members nobody has contacted in the campaign's N days."""

from datetime import timedelta

from crm.core.time import utcnow
from crm.extensions import db
from crm.legislature.models import Chamber
from crm.outreach.queries import going_cold


def test_going_cold_lists_persuadables_without_recent_contact(
    make_user, login_as, chamber, make_legislator, make_campaign, make_partner, add_interaction, add_stance
):
    officer = make_user("officer", name="Olga Oficial")
    partner = make_partner("Colectiva Norte")
    campaign = make_campaign(going_cold_days=14)
    now = utcnow()
    other_chamber = Chamber(legislature_id=chamber.legislature_id, name="Senado", seats=60)
    db.session.add(other_chamber)
    db.session.flush()
    never = make_legislator("Nunca Contactada", owner_user_id=officer.id)
    stale = make_legislator("Hace Tiempo", owner_partner_id=partner.id)
    recent = make_legislator("Recién Vista")
    champion = make_legislator("Ya Convencida")
    opposed = make_legislator("Firme Contra")
    former = make_legislator("Ex Diputada", sitting=False)
    senator = make_legislator("Senadora Lejana", in_chamber=other_chamber)
    add_stance(campaign, stale, "undecided", now - timedelta(days=40))
    add_stance(campaign, stale, "leaning_no", now - timedelta(days=30))
    add_stance(campaign, champion, "undecided", now - timedelta(days=90))
    add_stance(campaign, champion, "champion", now - timedelta(days=60))
    add_stance(campaign, opposed, "hard_opposed", now - timedelta(days=60))
    add_interaction(officer, [stale], starts_at=now - timedelta(days=20))
    add_interaction(officer, [stale], starts_at=now - timedelta(days=2), deleted=True)
    add_interaction(officer, [recent], starts_at=now - timedelta(days=3))
    add_interaction(officer, [never], starts_at=now + timedelta(days=2))  # planned, not yet a contact
    db.session.commit()

    rows = going_cold(campaign.id, now=now)
    assert [r.name for r in rows] == ["Nunca Contactada", "Hace Tiempo"]
    assert rows[0].last_contact is None and rows[0].owner_name == "Olga Oficial" and rows[0].owner_kind == "user"
    assert rows[1].level == "leaning_no" and rows[1].owner_name == "Colectiva Norte" and rows[1].owner_kind == "partner"
    assert rows[1].last_contact == now - timedelta(days=20)
    assert {former.id, senator.id, recent.id, champion.id, opposed.id}.isdisjoint(r.legislator_id for r in rows)

    campaign.going_cold_days = 30
    db.session.commit()
    assert [r.name for r in going_cold(campaign.id, now=now)] == ["Nunca Contactada"]

    body = login_as(officer).get(f"/campaigns/{campaign.id}/going-cold").get_data(as_text=True)
    assert "Nunca Contactada" in body and "Nunca contactado" in body and "Responsable: Olga Oficial" in body
    assert "Recién Vista" not in body and "Ya Convencida" not in body
    assert "Nunca Contactada" in login_as(officer).get(f"/going-cold?campaign={campaign.id}").get_data(as_text=True)
    assert login_as(officer).get("/campaigns/999999/going-cold").status_code == 404
    assert login_as(make_user("viewer")).get(f"/campaigns/{campaign.id}/going-cold").status_code == 403


def test_going_cold_statement_count_is_constant(make_user, make_legislator, make_campaign, count_queries):
    campaign = make_campaign()
    counts = []
    for n in (2, 25):
        for i in range(n):
            make_legislator(f"Diputada {n}-{i}")
        db.session.commit()
        with count_queries() as s:
            rows = going_cold(campaign.id)
        counts.append(len(s))
    assert len(rows) == 27 and counts[0] == counts[1] == 2


def test_going_cold_command(app, make_campaign, make_legislator):
    campaign = make_campaign(going_cold_days=10)
    make_legislator("Nunca Vista")
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["crm", "going-cold", "--campaign", str(campaign.id)])
    assert result.exit_code == 0, result.output
    assert "1 going cold (no contact in 10 days)" in result.output and "Nunca Vista" in result.output and "never" in result.output
    assert runner.invoke(args=["crm", "going-cold", "--campaign", "999999"]).exit_code != 0
