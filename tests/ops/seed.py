"""Representative rows in every main table, with the awkward cases a copy must keep."""

from datetime import date, timedelta

from crm.accounts import operations as accounts
from crm.campaigns.models import Campaign, VoteStage
from crm.campaigns.operations import record_stance
from crm.core import audit
from crm.core.time import utcnow
from crm.extensions import db
from crm.legislature.models import Chamber, Committee, Group, GroupMembership, Legislator, Legislature, SeatMembership
from crm.outreach.models import Interaction, Task


def seed(legislators: int = 40) -> dict:
    """Create and commit a small instance; returns a few ids the tests look up."""
    officer = accounts.create_user(email="oficial@example.org", name="Óscar Oficial", role="officer",
                                   password="una frase bastante larga")
    legislature = Legislature(name="Congreso de la República", country="PE", period_label="2026-2031")
    db.session.add(legislature)
    db.session.flush()
    chamber = Chamber(legislature_id=legislature.id, name="Cámara de Diputados", seats=130)
    db.session.add(chamber)
    db.session.flush()
    # A sub-committee created before its parent: a self-reference pointing at a higher id.
    child = Committee(chamber_id=chamber.id, name="Subcomisión de Justicia")
    db.session.add(child)
    db.session.flush()
    parent = Committee(chamber_id=chamber.id, name="Comisión de Justicia")
    db.session.add(parent)
    db.session.flush()
    child.parent_id = parent.id
    group = Group(legislature_id=legislature.id, name="Bancada Ñandú", abbreviation="BÑ")
    db.session.add(group)
    campaign = Campaign(name="Despenalización por violación", legislature_id=legislature.id, created_at=utcnow())
    db.session.add(campaign)
    db.session.flush()
    db.session.add(VoteStage(campaign_id=campaign.id, position=1, name="Pleno", chamber_id=chamber.id))
    people = []
    for n in range(legislators):
        person = Legislator(full_name=f"Congresista Núñez {n}", sort_name=f"Núñez {n:03d}", search_name=f"nunez {n}",
                            district="Cusco" if n % 2 else "Lima", links=[{"url": f"https://example.org/{n}"}],
                            created_at=utcnow())
        db.session.add(person)
        people.append(person)
    db.session.flush()
    for n, person in enumerate(people):
        db.session.add(SeatMembership(legislator_id=person.id, chamber_id=chamber.id, start_date=date(2026, 7, 28)))
        db.session.add(GroupMembership(legislator_id=person.id, group_id=group.id, start_date=date(2026, 7, 28)))
        record_stance(campaign_id=campaign.id, legislator_id=person.id, level="undecided", actor=officer)
        if n % 3 == 0:
            record_stance(campaign_id=campaign.id, legislator_id=person.id, level="supporter", actor=officer,
                          evidence="Declaración pública")
    meeting = Interaction(kind="meeting", starts_at=utcnow() - timedelta(days=1), campaign_id=campaign.id,
                          notes="Notas internas de la reunión", author_id=officer.id, created_at=utcnow())
    meeting.legislators = people[:3]
    meeting.staff = [officer]
    db.session.add(meeting)
    db.session.flush()
    db.session.add(Task(title="Enviar el informe", due_at=utcnow() + timedelta(days=2), assignee_id=officer.id,
                        interaction_id=meeting.id, legislator_id=people[0].id, campaign_id=campaign.id,
                        created_by_id=officer.id, created_at=utcnow()))
    audit.record("test.seed", campaign, new={"legislators": legislators}, actor=officer)
    db.session.commit()
    return {"officer": officer.id, "campaign": campaign.id, "child_committee": child.id, "parent_committee": parent.id,
            "meeting": meeting.id, "legislators": [p.id for p in people]}
