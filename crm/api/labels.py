"""The words for the webhook actions in the audit trail (see crm.core.audit.action_label)."""

from flask_babel import lazy_gettext as _l

from crm.core import audit

audit.register_action_labels({
    "webhook.subscribe": _l("Suscripción de webhook"),
    "webhook.update": _l("Edición de webhook"),
    "webhook.delete": _l("Eliminación de webhook"),
    "webhook.disable": _l("Webhook desactivado tras fallos seguidos"),
})
