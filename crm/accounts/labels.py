"""The words for the account and sign-in actions in the audit trail (see crm.core.audit.action_label)."""

from flask_babel import lazy_gettext as _l

from crm.core import audit

audit.register_action_labels({
    "auth.login": _l("Inicio de sesión"),
    "auth.logout": _l("Cierre de sesión"),
    "auth.login_failed": _l("Intento de inicio de sesión fallido"),
    "auth.login_throttled": _l("Inicio de sesión bloqueado por exceso de intentos"),
    "auth.reset_throttled": _l("Restablecimiento bloqueado por exceso de intentos"),
    "auth.reset_unknown_email": _l("Restablecimiento pedido para un correo desconocido"),
    "auth.invite_link_invalid": _l("Enlace de invitación no válido"),
    "auth.reset_link_invalid": _l("Enlace de restablecimiento no válido"),
    "user.create": _l("Creación de cuenta"),
    "user.update": _l("Edición de cuenta"),
    "user.preferences": _l("Cambio de preferencias"),
    "user.password_changed": _l("Cambio de contraseña"),
    "user.invite_sent": _l("Envío de invitación"),
    "user.reset_sent": _l("Envío de enlace de restablecimiento"),
    "user.calendar_token_reset": _l("Nuevo enlace de calendario"),
    "user.calendar_token_revoked": _l("Retiro del enlace de calendario"),
    "api_token.create": _l("Creación de token de API"),
    "api_token.revoke": _l("Revocación de token de API"),
})

audit.register_object_kinds({
    "User": (_l("cuenta"), "accounts.edit_user", "user_id"),
})
