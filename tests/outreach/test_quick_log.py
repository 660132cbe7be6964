"""Quick log from a phone: search-as-you-type, three screens at most, state carried between screens."""

from datetime import timedelta

from sqlalchemy import select

from crm.campaigns.models import StanceAssessment
from crm.core.time import local_today, to_local
from crm.extensions import db
from crm.outreach.forms import due_from_choice
from crm.outreach.models import Interaction, Task


def test_search_is_accent_and_case_insensitive(make_user, login_as, make_legislator):
    officer = make_user("officer")
    make_legislator("Verónika Mendoza")
    make_legislator("Rosa Mavila")
    make_legislator("Martha Chávez", sitting=False)
    db.session.commit()
    client = login_as(officer)
    body = client.get("/log/legislators?q=VERONIKA", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Verónika Mendoza" in body and "Rosa Mavila" not in body
    assert "Martha Chávez" in client.get("/log/legislators?q=chavez").get_data(as_text=True)
    assert "Rosa Mavila" in client.get("/log/legislators?q=mavila rosa").get_data(as_text=True)
    assert "Nadie coincide" in client.get("/log/legislators?q=zzz").get_data(as_text=True)
    # Wildcards typed by the user are literal characters, not patterns.
    assert "Rosa Mavila" not in client.get("/log/legislators?q=%25%25").get_data(as_text=True)


def test_three_screens_meeting_two_legislators_two_stances_two_tasks(make_user, login_as, make_legislator, make_campaign):
    officer = make_user("officer")
    mendoza = make_legislator("Verónika Mendoza")
    mavila = make_legislator("Rosa Mavila")
    campaign = make_campaign()
    db.session.commit()
    client = login_as(officer)
    first = client.get("/log")
    assert first.status_code == 200 and "Paso 1 de 3" in first.get_data(as_text=True)

    screen_one = {"step": "1", "action": "next", "legislator_ids": [str(mendoza.id), str(mavila.id)], "kind": "meeting",
                  "place": "Pasillo", "campaign_id": str(campaign.id)}
    second = client.post("/log", data=screen_one)
    body = second.get_data(as_text=True)
    assert second.status_code == 200 and "Paso 2 de 3" in body
    assert f'name="stance-{mendoza.id}"' in body and f'name="stance-{mavila.id}"' in body

    screen_two = {**screen_one, "step": "2", f"stance-{mendoza.id}": "leaning_yes", f"stance-{mavila.id}": "supporter",
                  "notes": "Dijo que lo votaría si hay informe legal."}
    third = client.post("/log", data=screen_two)
    body = third.get_data(as_text=True)
    assert "Paso 3 de 3" in body and 'value="leaning_yes"' in body and "Dijo que lo votaría" in body

    screen_three = {**screen_two, "step": "3", "action": "save", "task-0-title": "Enviar el informe legal",
                    "task-0-due": "friday", "task-0-time": "18:00", "task-1-title": "Llamar a la asesora",
                    "task-1-due": "tomorrow", "task-1-legislator": str(mavila.id)}
    saved = client.post("/log", data=screen_three)
    assert saved.status_code == 302
    interaction = db.session.execute(select(Interaction)).scalar_one()
    assert interaction.place == "Pasillo" and interaction.author_id == officer.id
    assert [u.id for u in interaction.staff] == [officer.id]
    levels = dict(db.session.execute(select(StanceAssessment.legislator_id, StanceAssessment.level)).all())
    assert levels == {mendoza.id: "leaning_yes", mavila.id: "supporter"}
    tasks = {t.title: t for t in db.session.execute(select(Task)).scalars()}
    brief = tasks["Enviar el informe legal"]
    due_local = to_local(brief.due_at, "America/Lima")
    assert due_local.weekday() == 4 and due_local.hour == 18
    assert 0 <= (due_local.date() - local_today("America/Lima")).days < 7
    assert tasks["Llamar a la asesora"].legislator_id == mavila.id
    assert all(t.interaction_id == interaction.id and t.campaign_id == campaign.id for t in tasks.values())


def test_screen_one_requires_a_legislator_and_keeps_input(make_user, login_as, make_campaign):
    officer = make_user("officer")
    campaign = make_campaign()
    db.session.commit()
    response = login_as(officer).post(
        "/log", data={"step": "1", "action": "next", "kind": "call", "place": "Hemiciclo", "campaign_id": str(campaign.id)}
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Busque y elija al menos un legislador." in body
    assert 'value="Hemiciclo"' in body and "Paso 1 de 3" in body


def test_save_from_screen_two_and_back_keeps_state(make_user, login_as, make_legislator, make_campaign):
    officer = make_user("officer")
    legislator = make_legislator("Rosa Mavila")
    campaign = make_campaign()
    db.session.commit()
    client = login_as(officer)
    data = {"step": "2", "legislator_ids": [str(legislator.id)], "kind": "call", "campaign_id": str(campaign.id),
            f"stance-{legislator.id}": "undecided", "notes": "Lo pensará"}
    back = client.post("/log", data={**data, "action": "back"}).get_data(as_text=True)
    assert "Paso 1 de 3" in back and "Rosa Mavila" in back and 'value="undecided"' in back and 'value="Lo pensará"' in back
    assert client.post("/log", data={**data, "action": "save"}).status_code == 302
    assert db.session.execute(select(Task)).first() is None
    assert db.session.execute(select(StanceAssessment.level)).scalar_one() == "undecided"


def test_bad_task_date_shows_screen_three_and_saves_nothing(make_user, login_as, make_legislator, make_campaign):
    officer = make_user("officer")
    legislator = make_legislator("Rosa Mavila")
    campaign = make_campaign()
    db.session.commit()
    response = login_as(officer).post("/log", data={
        "step": "3", "action": "save", "legislator_ids": [str(legislator.id)], "kind": "meeting",
        "campaign_id": str(campaign.id), "task-0-title": "Enviar carta", "task-0-due": "date", "task-0-date": "31/02",
    })
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Elija una fecha válida." in body and 'value="Enviar carta"' in body
    assert db.session.execute(select(Interaction)).first() is None


def test_due_choices_follow_the_users_calendar():
    from datetime import UTC, datetime

    # Thursday 2026-11-26 23:30 in Lima is already Friday 04:30 UTC.
    now = datetime(2026, 11, 27, 4, 30, tzinfo=UTC)
    friday, _ = due_from_choice("friday", None, None, "America/Lima", now)
    assert to_local(friday, "America/Lima").date().isoformat() == "2026-11-27"
    tomorrow, _ = due_from_choice("tomorrow", None, "09:15", "America/Lima", now)
    assert to_local(tomorrow, "America/Lima").isoformat() == "2026-11-27T09:15:00-05:00"
    monday, _ = due_from_choice("next_week", None, None, "America/Lima", now)
    assert to_local(monday, "America/Lima").date().isoformat() == "2026-11-30"
    madrid_friday, _ = due_from_choice("friday", None, None, "Europe/Madrid", now + timedelta(days=1))
    assert to_local(madrid_friday, "Europe/Madrid").date().isoformat() == "2026-12-04"


def test_officer_journey_shows_up_in_timeline_and_current_stances(make_user, login_as, make_legislator, make_campaign):
    """Log from a phone with two legislators, two stances, two follow-ups; complete one; read it back."""
    from crm.outreach.queries import current_levels

    officer = make_user("officer")
    mendoza = make_legislator("Verónika Mendoza")
    mavila = make_legislator("Rosa Mavila")
    campaign = make_campaign()
    db.session.commit()
    client = login_as(officer)
    saved = client.post("/log", data={
        "step": "3", "action": "save", "legislator_ids": [str(mendoza.id), str(mavila.id)], "kind": "meeting",
        "place": "Pasillo", "campaign_id": str(campaign.id), f"stance-{mendoza.id}": "leaning_yes",
        f"stance-{mavila.id}": "champion", "notes": "Ambas escucharon.",
        "task-0-title": "Enviar el informe legal", "task-0-due": "friday",
        "task-1-title": "Invitarlas al foro", "task-1-due": "next_week",
    })
    assert saved.status_code == 302
    first = db.session.execute(select(Task).where(Task.title == "Enviar el informe legal")).scalar_one()
    done = client.post(f"/tasks/{first.id}/complete", headers={"HX-Request": "true"})
    assert done.status_code == 200 and "Reabrir" in done.get_data(as_text=True)
    my_page = client.get("/tasks").get_data(as_text=True)
    assert "Invitarlas al foro" in my_page and "Enviar el informe legal" not in my_page

    for legislator, label in ((mendoza, "Se inclina a favor"), (mavila, "Impulsa")):
        body = client.get(f"/legislators/{legislator.id}/timeline", headers={"HX-Request": "true"}).get_data(as_text=True)
        assert "Reunión · Pasillo" in body and "Ambas escucharon." in body and label in body
        assert "Enviar el informe legal" in body and "Hecha" in body and "Invitarlas al foro" in body
    assert current_levels(campaign.id, [mendoza.id, mavila.id]) == {mendoza.id: "leaning_yes", mavila.id: "champion"}


def test_stance_without_campaign_is_explained_on_screen_two(make_user, login_as, make_legislator):
    officer = make_user("officer")
    legislator = make_legislator("Rosa Mavila")
    db.session.commit()
    response = login_as(officer).post("/log", data={
        "step": "2", "action": "save", "legislator_ids": [str(legislator.id)], "kind": "call", "campaign_id": "0",
        f"stance-{legislator.id}": "opposed", "notes": "Sin campaña",
    })
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Paso 2 de 3" in body
    assert "Elija la campaña para registrar posturas." in body and "Sin campaña" in body
    assert db.session.execute(select(Interaction)).first() is None


def test_going_back_from_screen_three_keeps_the_follow_up(make_user, login_as, make_legislator, make_campaign):
    officer = make_user("officer")
    legislator = make_legislator("Rosa Mavila")
    campaign = make_campaign()
    db.session.commit()
    client = login_as(officer)
    data = {"step": "3", "legislator_ids": [str(legislator.id)], "kind": "meeting", "campaign_id": str(campaign.id),
            "task-0-title": "Enviar carta", "task-0-due": "today"}
    back = client.post("/log", data={**data, "action": "back"}).get_data(as_text=True)
    assert "Paso 2 de 3" in back and 'name="task-0-title" value="Enviar carta"' in back
    forward = client.post("/log", data={**data, "step": "2", "action": "next"}).get_data(as_text=True)
    assert 'value="Enviar carta"' in forward and 'id="task-0-due-today" value="today" autocomplete="off" checked' in forward


def test_screen_two_shows_the_commitment_and_confidence_its_stances_get(make_user, login_as, make_legislator, make_campaign):
    """No hidden "En privado, 50 %": the defaults are on screen, and what the user picks is what is recorded."""
    officer = make_user("officer")
    legislator = make_legislator("Rosa Mavila")
    campaign = make_campaign()
    db.session.commit()
    client = login_as(officer)
    screen_one = {"step": "1", "action": "next", "legislator_ids": [str(legislator.id)], "kind": "meeting",
                  "campaign_id": str(campaign.id)}
    body = client.post("/log", data=screen_one).get_data(as_text=True)
    assert "Compromiso de las posturas" in body and 'name="stance_confidence"' in body
    assert '<option selected value="private">En privado</option>' in body and 'value="50"' in body
    email = client.post("/log", data={**screen_one, "kind": "email"}).get_data(as_text=True)
    assert '<option selected value="inferred">' in email  # an email shows a stance only indirectly

    screen_two = {**screen_one, "step": "2", f"stance-{legislator.id}": "supporter", "stance_commitment": "public",
                  "stance_confidence": "80"}
    third = client.post("/log", data=screen_two).get_data(as_text=True)
    assert "Paso 3 de 3" in third and 'name="stance_commitment" value="public"' in third
    assert client.post("/log", data={**screen_two, "step": "3", "action": "save"}).status_code == 302
    assessment = db.session.execute(select(StanceAssessment)).scalar_one()
    assert (assessment.level, assessment.commitment, assessment.confidence) == ("supporter", "public", 80)
