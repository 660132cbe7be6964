from datetime import date

from sqlalchemy import select

from crm.accounts.models import User
from crm.core.audit import LOGIN_ACTIONS, AuditEntry
from crm.core.pagination import paginate
from crm.core.time import local_day_bounds
from crm.extensions import db


def audit_page(*, page: int, action=None, hide_logins=False, actor_id=None, object_type=None, object_id=None, day_from=None, day_to=None, tz=None):
    statement = (
        select(AuditEntry, User.name, User.email)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
    if action:
        statement = statement.where(AuditEntry.action.startswith(action))
    if hide_logins:
        statement = statement.where(AuditEntry.action.not_in(LOGIN_ACTIONS))
    if actor_id:
        statement = statement.where(AuditEntry.actor_id == actor_id)
    if object_type:
        statement = statement.where(AuditEntry.object_type == object_type)
    if object_id:
        statement = statement.where(AuditEntry.object_id == str(object_id))
    if isinstance(day_from, date):
        statement = statement.where(AuditEntry.created_at >= local_day_bounds(day_from, tz)[0])
    if isinstance(day_to, date):
        statement = statement.where(AuditEntry.created_at < local_day_bounds(day_to, tz)[1])
    return paginate(statement, page, 50, scalars=False)


def object_types() -> list[str]:
    rows = db.session.execute(select(AuditEntry.object_type).where(AuditEntry.object_type.is_not(None)).distinct())
    return sorted(r[0] for r in rows)
