"""The words for the reminder and outbox actions in the audit trail (see crm.core.audit.action_label)."""

from flask_babel import lazy_gettext as _l

from crm.core import audit

audit.register_action_labels({
    "mail.retry": _l("Reintento de un correo"),
    "mail.discard": _l("Descarte de un correo"),
    "user.unsubscribe": _l("Baja de un recordatorio por correo"),
})

audit.register_object_kinds({
    "OutboundEmail": (_l("correo saliente"), None, None),
})
