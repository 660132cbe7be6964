from sqlalchemy import select

from crm.accounts.models import PartnerOrganisation, User
from crm.core.pagination import paginate
from crm.extensions import db


def users_page(page: int, role: str | None = None, active: str | None = None, per_page: int = 50):
    statement = select(User).order_by(User.active.desc(), User.name)
    if role:
        statement = statement.where(User.role == role)
    if active in ("1", "0"):
        statement = statement.where(User.active.is_(active == "1"))
    return paginate(statement, page, per_page)


def partner_choices():
    rows = db.session.execute(select(PartnerOrganisation.id, PartnerOrganisation.name).order_by(PartnerOrganisation.name))
    return list(rows)


def staff_choices():
    rows = db.session.execute(
        select(User.id, User.name).where(User.active.is_(True), User.role != "viewer").order_by(User.name)
    )
    return list(rows)
