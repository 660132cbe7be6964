"""Every main page costs an exact number of SQL statements, on the demo and again with many more rows.

The numbers are the page's fixed cost: a change that adds a query per row, or a query nobody needed, shows
up here as a changed number, and the same number must hold after the data grows.
"""

from datetime import timedelta

from sqlalchemy import select

from crm.campaigns.models import StanceAssessment
from crm.coalition.models import PetitionDrive
from crm.core.time import utcnow
from crm.demo import load_demo
from crm.extensions import db
from crm.legislature.models import Legislator, SeatMembership
from crm.outreach.models import Interaction, Task, interaction_legislators
from tests.conftest import login

# (who, path template, exact statements). Paths are filled from the demo's objects.
PAGES = [
    ("director", "/", 7),
    ("director", "/legislators", 4),
    ("director", "/legislators?more=1", 10),
    ("director", "/legislators/{mendoza}", 12),
    ("director", "/legislators/{mendoza}/timeline", 5),
    ("director", "/campaigns", 4),
    ("director", "/campaigns/{campaign}", 2),
    # From the board cache after the warm-up view: the user and the version tokens. (The cache's own shortcut reads
    # on a connection of its own, which cannot see this test's uncommitted rows: test_board_shortcut covers it.)
    ("director", "/campaigns/{campaign}/whip", 2),
    ("director", "/campaigns/{campaign}/list", 3),
    ("director", "/campaigns/{campaign}/trend.json", 3),
    ("director", "/campaigns/{campaign}/export.csv", 3),
    ("director", "/campaigns/{campaign}/going-cold", 5),
    ("director", "/going-cold?owner=none&sort=stance&page=2", 5),
    ("director", "/interactions", 5),
    ("director", "/interactions/{interaction}", 11),
    ("director", "/tasks/team", 5),
    ("director", "/partners", 2),
    ("director", "/petitions", 2),
    ("director", "/petitions/{drive}", 7),
    ("director", "/media", 5),
    ("officer", "/", 5),
    ("officer", "/tasks", 2),
    ("officer", "/log", 3),
    ("officer", "/log/legislators?q=mendoza", 3),
    ("officer", "/interactions/new", 5),
    ("officer", "/calendar", 1),
    ("admin", "/", 9),
    ("admin", "/admin/audit", 5),
    ("admin", "/admin/mail", 5),
    ("admin", "/admin/users", 3),
    ("admin", "/legislatures", 7),
    ("admin", "/imports/legislators", 2),
    ("viewer", "/", 4),
    ("viewer", "/campaigns/{campaign}/whip", 2),
    ("director", "/search?q=mavila", 2),
    ("director", "/search?q=lima&kind=legislator&page=2", 2),
    ("viewer", "/search?q=mavila", 3),
    ("officer", "/search/suggest?q=ma", 2),
]


def _ids(context) -> dict:
    interaction = db.session.execute(select(Interaction.id).order_by(Interaction.id)).scalars().first()
    drive = db.session.execute(select(PetitionDrive.id).order_by(PetitionDrive.id)).scalars().first()
    return {"mendoza": context["mendoza"].id, "campaign": context["campaign"].id, "interaction": interaction,
            "drive": drive}


def _grow(context, n: int = 40) -> None:
    """Many more meetings, tasks and stance changes on the 2026 chambers, so a per-row query would show."""
    now = utcnow()
    officer = context["users"]["officer"]
    campaign = context["campaign"]
    people = db.session.execute(
        select(Legislator.id).join(SeatMembership).where(SeatMembership.chamber_id == context["diputados"].id)
        .limit(n)
    ).scalars().all()
    for i, legislator_id in enumerate(people):
        meeting = Interaction(kind="meeting", starts_at=now - timedelta(days=i % 30, hours=1), created_at=now,
                              author_id=officer.id, campaign_id=campaign.id, notes=f"Nota {i}")
        db.session.add(meeting)
        db.session.flush()
        db.session.execute(interaction_legislators.insert().values(interaction_id=meeting.id,
                                                                   legislator_id=legislator_id))
        db.session.add(Task(title=f"Seguimiento {i}", due_at=now + timedelta(days=i % 9 - 4), priority="normal",
                            status="open", assignee_id=officer.id, legislator_id=legislator_id,
                            campaign_id=campaign.id, created_at=now))
        db.session.add(StanceAssessment(campaign_id=campaign.id, legislator_id=legislator_id, level="supporter",
                                        assessed_at=now - timedelta(minutes=i)))
    db.session.commit()


def _measure(client, users, ids, count_queries) -> dict:
    measured = {}
    for who, template, _expected in PAGES:
        login(client, users[who])
        path = template.format(**ids)
        client.get(path)  # warm caches that are built once per process, not per request
        with count_queries() as sql:
            response = client.get(path)
        assert response.status_code == 200, (who, path, response.status_code)
        measured[(who, template)] = len(sql)
    return measured


def test_main_pages_cost_an_exact_number_of_statements(client, count_queries):
    context = load_demo(progress=lambda *_: None)
    users = context["users"]
    ids = _ids(context)
    expected = {(who, template): n for who, template, n in PAGES}
    small = _measure(client, users, ids, count_queries)
    _grow(context)
    large = _measure(client, users, ids, count_queries)
    assert small == large, "a page's statement count grew with the data"
    changed = {key: (expected[key], n) for key, n in small.items() if expected[key] != n}
    assert not changed, f"statements per page changed (expected, now): {changed}"
