"""Audit rows written in the same transaction as the change they describe."""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from flask import g, has_request_context, request, url_for
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from crm.core.time import utcnow
from crm.core.types import UTCDateTime
from crm.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str | None] = mapped_column(String(60))
    object_id: Mapped[str | None] = mapped_column(String(60))
    old_values: Mapped[dict | None] = mapped_column(JSON)
    new_values: Mapped[dict | None] = mapped_column(JSON)
    ip_address: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(40))
    # The name of the personal access token a write came through (API requests only).
    via_token: Mapped[str | None] = mapped_column(String(80))


# The words for each audit action. Core names its own; each domain adds its actions from its labels module
# (imported with the domain's blueprint), so the audit page can name every action while core stays domain-free.
_ACTION_LABELS: dict[str, LazyString] = {
    "permission.denied": _l("Acceso denegado"),
    "security.csrf_failed": _l("Formulario rechazado por seguridad"),
}


def register_action_labels(labels: dict[str, LazyString]) -> None:
    """Add a domain's action labels; an action is named by one domain only."""
    clash = {action for action in labels if action in _ACTION_LABELS and _ACTION_LABELS[action] is not labels[action]}
    if clash:
        raise ValueError(f"audit actions labelled twice: {sorted(clash)}")
    _ACTION_LABELS.update(labels)


def action_labels() -> dict[str, LazyString]:
    return dict(_ACTION_LABELS)


def action_label(action: str | None) -> LazyString | str:
    """The words for an audit action; the action itself when no domain named it."""
    return _ACTION_LABELS.get(action or "", action or "")


# What each audited object is called and which page shows it: object type -> (words, endpoint, url argument).
# Domains register their own, like the action labels, so core never imports a domain.
_OBJECT_KINDS: dict[str, tuple[LazyString, str | None, str | None]] = {
    "Request": (_l("una petición"), None, None),
}
LOGIN_ACTIONS = ("auth.login", "auth.logout")


def register_object_kinds(kinds: dict[str, tuple]) -> None:
    """Add a domain's object types: {"Legislator": (_l("la ficha"), "legislature.profile", "legislator_id")}."""
    _OBJECT_KINDS.update(kinds)


def object_kind_label(object_type: str | None) -> LazyString | str:
    kind = _OBJECT_KINDS.get(object_type or "")
    return kind[0] if kind else (object_type or "")


def object_link(object_type: str | None, object_id: str | None) -> tuple[str, str | None]:
    """The words for an audited object ("la ficha n.º 12") and the address of its page, when it has one."""
    kind = _OBJECT_KINDS.get(object_type or "")
    if kind is None:
        return (f"{object_type} {object_id or ''}".strip(), None)
    label, endpoint, argument = kind
    if not object_id:
        return (str(label), None)
    url = None
    if endpoint and object_id.isdigit():
        url = url_for(endpoint, **{argument: int(object_id)})
    return (_("%(kind)s n.º %(id)s", kind=label, id=object_id), url)


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj, fields) -> dict:
    return {name: _plain(getattr(obj, name)) for name in fields}


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys whose values differ, as (old, new)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _actor_id(actor):
    if actor is not None:
        return actor.id
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return None


def record(action: str, obj=None, *, old=None, new=None, actor=None, object_type=None, object_id=None):
    """Add an audit row to the current session; the caller's transaction commits it."""
    entry = AuditEntry(
        created_at=utcnow(),
        actor_id=_actor_id(actor),
        action=action,
        object_type=object_type or (type(obj).__name__ if obj is not None else None),
        object_id=str(object_id if object_id is not None else getattr(obj, "id", "") or "") or None,
        old_values=_plain(old) if old else None,
        new_values=_plain(new) if new else None,
        ip_address=request.remote_addr if has_request_context() else None,
        request_id=getattr(g, "request_id", None) if has_request_context() else None,
        via_token=g.get("api_token_name") if has_request_context() else None,
    )
    db.session.add(entry)
    return entry


_KEPT = "audit_after_rollback"


def record_after_rollback(action: str, **fields):
    """Keep an audit row even when the request rolls back (denials)."""
    g.setdefault(_KEPT, []).append((action, fields))


def record_kept_rows() -> bool:
    """Add the rows kept by record_after_rollback to the session; True when there were any."""
    kept = g.pop(_KEPT, [])
    for action, fields in kept:
        record(action, **fields)
    return bool(kept)
