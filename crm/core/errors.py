"""Error pages with no stack traces."""

import logging

from flask import g, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import SQLAlchemyError

from crm.core.audit import record_after_rollback
from crm.core.limits import too_large_message
from crm.core.views import is_htmx
from crm.extensions import db, login_manager

log = logging.getLogger("crm.errors")

MESSAGES = {
    400: lambda: (_("Solicitud incorrecta"), _("No pudimos entender la solicitud. Revise los datos e inténtelo de nuevo.")),
    403: lambda: (_("Acceso denegado"), _("No tiene permiso para ver esta página o hacer esta acción.")),
    404: lambda: (_("Página no encontrada"), _("La página que busca no existe o fue movida.")),
    405: lambda: (_("Método no permitido"), _("Esta dirección no acepta ese tipo de solicitud.")),
    413: lambda: (_("Envío demasiado grande"), _("El archivo supera el tamaño permitido.")),
    429: lambda: (_("Demasiados intentos"), _("Espere unos minutos antes de volver a intentarlo.")),
    500: lambda: (_("Error del servidor"), _("Algo salió mal de nuestro lado. El equipo técnico fue notificado.")),
}


# Set by a layer above (the JSON API): given a status code, a JSON response for its own paths, else None.
json_renderer = None


def _render(code: int, detail: str | None = None):
    if json_renderer is not None:
        answer = json_renderer(code)
        if answer is not None:
            return answer
    title, message = MESSAGES.get(code, MESSAGES[500])()
    if request_ctx.url_adapter is None:
        # The request named a host outside TRUSTED_HOSTS: no URL can be built, so no page template either.
        return f"{code} {title}", code, {"Content-Type": "text/plain; charset=utf-8"}
    if is_htmx():
        return render_template("errors/_fragment.html", code=code, title=title, message=detail or message), code
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def register(app) -> None:
    for code in (400, 403, 404, 405, 429):
        app.register_error_handler(code, lambda e, code=code: _render(code))

    @app.errorhandler(413)
    def too_large(e):
        return _render(413, too_large_message() if request_ctx.url_adapter is not None else None)

    @app.errorhandler(CSRFError)
    def csrf_failed(e):
        # Kept although the request rolls back: a forged cross-site form shows up in the audit trail.
        record_after_rollback(
            "security.csrf_failed", object_type="Request",
            new={"method": request.method, "path": request.path[:200], "reason": e.description},
        )
        return _render(400, _("El formulario caducó o no es válido. Recargue la página e inténtelo de nuevo."))

    @app.errorhandler(500)
    def server_error(e):
        original = getattr(e, "original_exception", None) or e
        log.error("Unhandled error on %s", request.path, exc_info=original)
        if isinstance(original, SQLAlchemyError):
            _without_database()
        try:
            return _render(500)
        except Exception:  # noqa: BLE001 - the error page itself must never fail
            log.warning("the error page needed the database; serving it without the user's details", exc_info=True)
            _without_database()
        try:
            return _render(500)
        except Exception:  # noqa: BLE001
            log.exception("the error page could not be rendered; serving plain HTML")
            return _plain(500)


def _without_database() -> None:
    """Render as an anonymous visitor: the page (menu, language, timezone) then needs no query at all.

    Flask-Login reads the user from `g._login_user`, so setting it stops any lazy load of the real user, and the
    access log and security headers that run after this see an anonymous request too.
    """
    try:
        db.session.rollback()
    except SQLAlchemyError:
        pass
    g._login_user = login_manager.anonymous_user()


def _plain(code: int):
    title, message = MESSAGES.get(code, MESSAGES[500])()
    body = (
        f"<!doctype html><html lang=\"es\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title></head>"
        f"<body><h1>{escape(title)}</h1><p>{escape(message)}</p></body></html>"
    )
    return body, code, {"Content-Type": "text/html; charset=utf-8"}
