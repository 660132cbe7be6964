"""Campaigns and their ordered vote stages, edited through the pages a director uses."""

from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.campaigns.models import Campaign, VoteStage
from crm.extensions import db


def actions():
    return db.session.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()


def test_create_campaign_with_defaults_and_audit(world, make_user, login_as):
    client = login_as(make_user("director"))
    form = client.get("/campaigns/new").get_data(as_text=True)
    assert 'name="going_cold_days"' in form and 'value="21"' in form
    response = client.post(
        "/campaigns/new",
        data={"name": "Ley de paridad", "bill_number": "123/2026", "summary": "Resumen", "status": "active",
              "legislature_id": str(world.legislature.id), "going_cold_days": ""},
    )
    assert response.status_code == 302
    campaign = db.session.execute(select(Campaign).where(Campaign.name == "Ley de paridad")).scalar_one()
    assert (campaign.bill_number, campaign.going_cold_days, campaign.legislature_id) == ("123/2026", 21, world.legislature.id)
    assert "campaign.create" in actions()


def test_failed_campaign_form_keeps_what_was_typed(make_user, login_as):
    client = login_as(make_user("director"))
    response = client.post("/campaigns/new", data={"name": "", "bill_number": "77/2026", "status": "active", "going_cold_days": "400"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="77/2026"' in html and "Revise los campos" in html
    assert db.session.execute(select(Campaign)).first() is None


def test_edit_campaign_is_audited_with_old_and_new(world, make_user, login_as):
    client = login_as(make_user("director"))
    url = f"/campaigns/{world.campaign.id}/edit"
    response = client.post(url, data={"name": "Déjala Decidir", "bill_number": "3839/2014-IC", "status": "paused", "going_cold_days": "14",
                                      "legislature_id": str(world.legislature.id)})
    assert response.status_code == 302
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "campaign.update")).scalar_one()
    assert entry.old_values == {"status": "active", "going_cold_days": 21}
    assert entry.new_values == {"status": "paused", "going_cold_days": 14}


def test_add_stages_with_each_rule_and_see_votes_needed(world, make_user, login_as):
    client = login_as(make_user("director"))
    url = f"/campaigns/{world.campaign.id}/stages/new"
    assert client.post(url, data={"name": "Dos tercios", "chamber_id": str(world.chamber.id), "rule_kind": "fraction",
                                  "fraction_numerator": "2", "fraction_denominator": "3"}).status_code == 302
    assert client.post(url, data={"name": "Fijo", "chamber_id": str(world.chamber.id), "rule_kind": "fixed", "fixed_votes": "9"}).status_code == 302
    assert client.post(url, data={"name": "Presentes", "chamber_id": str(world.chamber.id), "rule_kind": "simple_majority",
                                  "expected_attendance_pct": "50", "target_date": "2027-03-01"}).status_code == 302
    stages = db.session.execute(select(VoteStage).where(VoteStage.campaign_id == world.campaign.id).order_by(VoteStage.position)).scalars().all()
    assert [s.position for s in stages] == [1, 2, 3, 4, 5]
    html = client.get(f"/campaigns/{world.campaign.id}").get_data(as_text=True)
    assert "14 votos de 20" in html  # 2/3 of 20
    assert "9 votos de 20" in html and "6 votos de 20" in html  # fixed; half of 20 present -> 6
    assert actions().count("stage.create") >= 3


def test_bad_stage_input_is_explained_and_keeps_input(world, make_user, login_as):
    client = login_as(make_user("director"))
    url = f"/campaigns/{world.campaign.id}/stages/new"
    both = client.post(url, data={"name": "Ambas", "chamber_id": str(world.chamber.id), "committee_id": str(world.committee.id),
                                  "rule_kind": "absolute_majority"})
    assert both.status_code == 422 and "solo una" in both.get_data(as_text=True)
    bad_fraction = client.post(url, data={"name": "Mala fracción", "chamber_id": str(world.chamber.id), "rule_kind": "fraction",
                                          "fraction_numerator": "4", "fraction_denominator": "3"})
    assert bad_fraction.status_code == 422 and 'value="Mala fracción"' in bad_fraction.get_data(as_text=True)
    no_fixed = client.post(url, data={"name": "Sin número", "chamber_id": str(world.chamber.id), "rule_kind": "fixed"})
    assert no_fixed.status_code == 422
    assert db.session.execute(select(VoteStage).where(VoteStage.name.in_(["Ambas", "Mala fracción", "Sin número"]))).first() is None


def test_edit_and_reorder_stages(world, make_user, login_as):
    client = login_as(make_user("director"))
    base = f"/campaigns/{world.campaign.id}/stages/{world.plenary.id}"
    assert client.post(f"{base}/edit", data={"name": "Pleno del Congreso", "chamber_id": str(world.chamber.id),
                                             "rule_kind": "fraction", "fraction_numerator": "3", "fraction_denominator": "5"}).status_code == 302
    assert client.post(f"{base}/move", data={"direction": "up"}).status_code == 302
    order = db.session.execute(select(VoteStage.name).where(VoteStage.campaign_id == world.campaign.id).order_by(VoteStage.position)).scalars().all()
    assert order == ["Pleno del Congreso", "Comisión de Justicia"]
    assert client.post(f"{base}/move", data={"direction": "up"}).status_code == 302  # already first: no change
    assert "stage.update" in actions() and actions().count("stage.reorder") == 1
    html = client.get(f"/campaigns/{world.campaign.id}").get_data(as_text=True)
    assert "12 votos de 20" in html  # 3/5 of 20
    assert client.get(f"/campaigns/{world.campaign.id}/stages/999999/edit").status_code == 404


def test_cli_prints_the_count_of_every_stage(world, app):
    from tests.campaigns.conftest import stance

    for i in range(3):
        stance(world, i, "supporter")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["crm", "whip-count", str(world.campaign.id)])
    assert result.exit_code == 0, result.output
    assert "Comisión de Justicia: secured 3, likely 3, needed 3 of 5" in result.output
    assert "Pleno: secured 3, likely 3, needed 11 of 20 (gap 8)" in result.output
    assert app.test_cli_runner().invoke(args=["crm", "whip-count", "999999"]).exit_code != 0


def test_delete_stage_renumbers_and_keeps_stances(world, make_user, login_as):
    from tests.campaigns.conftest import stance

    stance(world, 0, "supporter")
    db.session.commit()
    client = login_as(make_user("director"))
    assert client.post(f"/campaigns/{world.campaign.id}/stages/{world.committee_stage.id}/delete").status_code == 302
    positions = db.session.execute(select(VoteStage.position).where(VoteStage.campaign_id == world.campaign.id)).scalars().all()
    assert positions == [1]
    assert "stage.delete" in actions()
    assert "Apoya" in client.get(f"/legislators/{world.legislators[0].id}/stances").get_data(as_text=True)


def test_only_admins_delete_and_only_campaigns_without_history(world, make_user, login_as):
    from tests.campaigns.conftest import stance

    assert login_as(make_user("director")).post(f"/campaigns/{world.campaign.id}/delete").status_code == 403
    stance(world, 0, "supporter")
    db.session.commit()
    client = login_as(make_user("admin"))
    response = client.post(f"/campaigns/{world.campaign.id}/delete", follow_redirects=True)
    assert "archívela" in response.get_data(as_text=True)
    assert db.session.get(Campaign, world.campaign.id) is not None
    empty = Campaign(name="Vacía", status="active")
    db.session.add(empty)
    db.session.commit()
    assert client.post(f"/campaigns/{empty.id}/delete").status_code == 302
    assert db.session.get(Campaign, empty.id) is None
    assert "campaign.delete" in actions()
