"""Demo data for `make run`. Everything invented here is flagged is_demo."""

import importlib

from sqlalchemy import func, select

from crm.accounts import operations
from crm.accounts.models import User
from crm.extensions import db

DEMO_PASSWORD = "cabildeo-demo-2026"
DEMO_USERS = (
    ("admin@cabildeo.demo", "Ana Administradora", "admin"),
    ("directora@cabildeo.demo", "Diana Directora", "director"),
    ("oficial@cabildeo.demo", "Óscar Oficial", "officer"),
    ("oficial2@cabildeo.demo", "Olga Oficial", "officer"),
    ("aliada@cabildeo.demo", "Alicia Aliada", "viewer"),
)
# Each domain's demo module exposes load(context) and runs in this order. The context is a dict that
# earlier modules fill for later ones:
#   users: {"admin", "director", "officer", "officer2", "viewer"} -> User
#   legislature: "peru_2011" (Legislature), "peru_2011_chamber" (Chamber, 130 seats),
#                "peru_2026" (Legislature), "diputados" (Chamber, 130), "senado" (Chamber, 60),
#                "justice_committee_2011" (Committee in the 2011 chamber),
#                "justice_committee_2026" (Committee in the Cámara de Diputados)
#   coalition:   "partners" -> {name: PartnerOrganisation}
#   campaigns:   "campaign" (the demo Campaign), "stages" (list of VoteStage)
#   outreach:    nothing later modules need
DEMO_STEPS = (
    ("crm.legislature.demo", "load"),
    ("crm.coalition.demo", "load"),
    ("crm.campaigns.demo", "load"),
    ("crm.coalition.demo", "load_drive"),
    ("crm.outreach.demo", "load"),
)


def database_is_empty() -> bool:
    return db.session.execute(select(func.count(User.id))).scalar_one() == 0


def _create_users(context: dict) -> None:
    users = {}
    for email, name, role in DEMO_USERS:
        users[role if role not in users else f"{role}2"] = operations.create_user(
            email=email, name=name, role=role, password=DEMO_PASSWORD, is_demo=True
        )
    context["users"] = users


def load_demo(progress=print) -> dict:
    """Build the demo in one transaction: it all lands or none of it does."""
    context: dict = {"progress": progress}
    try:
        _create_users(context)
        for module_name, function in DEMO_STEPS:
            progress(f"  {module_name.split('.')[1]} ({function})…")
            getattr(importlib.import_module(module_name), function)(context)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return context


def print_logins(echo=print) -> None:
    demo = db.session.execute(select(User).where(User.is_demo.is_(True)).order_by(User.id)).scalars().all()
    if not demo:
        return
    echo("")
    echo(f"Demo logins (password for all: {DEMO_PASSWORD})")
    for user in demo:
        echo(f"  {user.role:<9} {user.email}")
    echo("")
