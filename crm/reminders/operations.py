"""Writes on the outbox and on reminder preferences: validated, flushed, audited; the caller commits."""

from flask_babel import gettext as _

from crm.core import audit
from crm.core.outbox import OutboundEmail
from crm.core.time import utcnow
from crm.extensions import db
from crm.reminders.tokens import PREFERENCE_FOR_KIND

RETRYABLE = ("failed", "missed", "discarded", "pending")
DISCARDABLE = ("pending", "failed", "missed")


class OutboxError(ValueError):
    """A refusal the admin can act on; the message is already translated."""


def retry_email(email: OutboundEmail, *, actor) -> OutboundEmail:
    """Queue a message again now. A 'sending' row belongs to a sender; a 'sent' one is never sent twice."""
    if email.status not in RETRYABLE:
        raise OutboxError(_("Este correo no se puede reintentar (estado: %(status)s).", status=email.status))
    old = {"status": email.status, "next_attempt_at": email.next_attempt_at}
    email.status = "pending"
    email.next_attempt_at = utcnow()
    email.lease_until = None
    email.lease_owner = None
    audit.record("mail.retry", email, old=old, new={"status": email.status, "next_attempt_at": email.next_attempt_at}, actor=actor)
    db.session.flush()
    return email


def discard_email(email: OutboundEmail, *, actor) -> OutboundEmail:
    if email.status not in DISCARDABLE:
        raise OutboxError(_("Este correo no se puede descartar (estado: %(status)s).", status=email.status))
    old = {"status": email.status}
    email.status = "discarded"
    email.lease_until = None
    email.lease_owner = None
    audit.record("mail.discard", email, old=old, new={"status": email.status}, actor=actor)
    db.session.flush()
    return email


def unsubscribe(user, kind: str) -> bool:
    """Switch off one reminder kind for a user. True when something changed."""
    preference = PREFERENCE_FOR_KIND[kind]
    if not getattr(user, preference):
        return False
    setattr(user, preference, False)
    audit.record("user.unsubscribe", user, old={preference: True}, new={preference: False}, actor=user)
    db.session.flush()
    return True
