"""The outreach demo: months of meetings and tasks around the demo campaign, flagged as demo."""

from datetime import timedelta

from sqlalchemy import func, select

from crm.campaigns.models import StanceAssessment
from crm.core.time import local_day_bounds, local_today, utcnow
from crm.extensions import db
from crm.outreach import demo
from crm.outreach.models import Interaction, Task
from crm.outreach.queries import going_cold, my_tasks


def test_demo_builds_plausible_history(make_user, make_legislator, make_campaign, chamber):
    users = {
        "admin": make_user("admin"), "director": make_user("director"), "officer": make_user("officer"),
        "officer2": make_user("officer"), "viewer": make_user("viewer"),
    }
    for i in range(30):
        make_legislator(f"Diputada Demo{i}", aides=("Asesor Demo",) if i % 4 == 0 else ())
    make_legislator("Ex Diputada", sitting=False)
    campaign = make_campaign()
    demo.load({"users": users, "campaign": campaign, "stages": campaign.stages, "diputados": chamber})
    db.session.flush()

    interactions = db.session.execute(select(Interaction)).scalars().all()
    assert len(interactions) >= 40 and all(i.is_demo for i in interactions)
    now = utcnow()
    assert min(i.starts_at for i in interactions) < now - timedelta(days=60)
    assert any(i.starts_at > now for i in interactions)
    assert any(i.notes_internal for i in interactions) and any(not i.notes_internal for i in interactions)
    assert all("Ex Diputada" not in [x.full_name for x in i.legislators] for i in interactions)
    assert db.session.execute(select(func.count(StanceAssessment.id)).where(StanceAssessment.is_demo.is_(True))).scalar() > 5
    tasks = db.session.execute(select(Task)).scalars().all()
    assert all(t.is_demo for t in tasks) and any(t.status == "done" for t in tasks)
    for key in ("officer", "officer2"):
        buckets = my_tasks(users[key], now)
        assert buckets.overdue and buckets.later
    _, end_of_today = local_day_bounds(local_today("America/Lima", now), "America/Lima")
    assert any(t.status == "open" and now <= t.due_at < end_of_today for t in tasks)
    assert going_cold(campaign.id, now)


def test_demo_tolerates_missing_campaign_and_legislators(make_user, make_legislator):
    users = {"officer": make_user("officer")}
    demo.load({"users": users})
    assert db.session.execute(select(Interaction)).first() is None
    make_legislator("Sola Diputada")
    demo.load({"users": users})
    assert db.session.execute(select(func.count(Interaction.id))).scalar() > 0
    assert db.session.execute(select(StanceAssessment)).first() is None


def test_the_demo_gives_its_search_example_a_meeting_and_a_task(make_user, make_legislator, make_campaign, chamber, login_as):
    users = {"director": make_user("director"), "officer": make_user("officer")}
    for i in range(6):
        make_legislator(f"Diputada Demo{i}")
    mavila = make_legislator("Rosa Delsa Mavila León")
    campaign = make_campaign()
    demo.load({"users": users, "campaign": campaign, "stages": campaign.stages, "diputados": chamber})
    db.session.flush()

    [meeting] = db.session.execute(select(Interaction).where(Interaction.notes.startswith("Repasamos"))).scalars().all()
    [task] = db.session.execute(select(Task).where(Task.interaction_id == meeting.id)).scalars().all()
    assert meeting.legislators == [mavila] and task.legislator_id == mavila.id
    assert meeting.starts_at < utcnow() and task.interaction_id == meeting.id and task.status == "open"
    client = login_as(users["director"])
    page = client.get("/search?q=mavila").get_data(as_text=True)
    assert "Rosa Delsa Mavila León" in page and "/interactions/" in page and "/tasks/" in page
    assert task.title in client.get("/search?q=mavila&kind=task").get_data(as_text=True)
    meetings = client.get("/search?q=mavila+junta+portavoces&kind=interaction").get_data(as_text=True)
    assert f"/interactions/{meeting.id}\"" in meetings
