"""What the home page offers each role. Cards name endpoints of other domains; a card appears only
when its page exists and the user's role may open it, so the home page never depends on a domain."""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from crm.accounts.models import RateLimit
from crm.core.audit import AuditEntry
from crm.core.time import utcnow
from crm.extensions import db

EVERYONE = "everyone"
STAFF = "staff"
MANAGER = "manager"
ADMIN = "admin"


@dataclass(frozen=True)
class Card:
    endpoint: str
    title: str
    text: str
    audience: str = EVERYONE


WORK = (
    Card("outreach.quick_log", _l("Registrar una reunión"), _l("Menos de un minuto desde el teléfono."), STAFF),
    Card("outreach.my_tasks", _l("Mis tareas"), _l("Vencidas, de hoy y de la semana."), STAFF),
    Card("outreach.team_tasks", _l("Tareas del equipo"), _l("Quién tiene pendientes y qué está vencido."), MANAGER),
    Card("campaigns.index", _l("Conteo de votos"), _l("Cuántos votos tenemos y cuántos faltan.")),
    Card("legislature.directory", _l("Legisladores"), _l("Directorio, perfiles e historial.")),
    Card("coalition.partners", _l("Coalición"), _l("Organizaciones aliadas y lo que compartimos.")),
    Card("coalition.drives", _l("Firmas"), _l("Recolección y verificación de firmas.")),
)
ADMINISTRATION = (
    Card("accounts.users", _l("Usuarios"), _l("Invitar, cambiar roles y desactivar cuentas."), ADMIN),
    Card("audit.index", _l("Auditoría"), _l("Quién cambió qué y cuándo."), MANAGER),
    Card("legislature.import_start", _l("Importar legisladores"), _l("Cargar o actualizar el padrón."), MANAGER),
    Card("reminders.outbox", _l("Correo saliente"), _l("Recordatorios enviados y fallidos."), ADMIN),
)


# The pages the figures link to: without any of them (a domain left out) the page shows the cards only.
FIGURE_PAGES = (
    "campaigns.detail", "campaigns.whip", "coalition.drive", "legislature.profile", "outreach.going_cold",
    "outreach.interaction_detail", "outreach.interactions", "outreach.my_tasks", "outreach.quick_log",
    "outreach.team_tasks",
)


def figure_pages_exist() -> bool:
    return all(endpoint in current_app.view_functions for endpoint in FIGURE_PAGES)


def _allowed(user, audience: str) -> bool:
    return {
        EVERYONE: True,
        STAFF: user.is_staff,
        MANAGER: user.is_manager,
        ADMIN: user.is_admin,
    }[audience]


def _visible(cards, user) -> list[Card]:
    return [c for c in cards if c.endpoint in current_app.view_functions and _allowed(user, c.audience)]


def home_sections(user) -> list[tuple[str, list[Card]]]:
    sections = [(_l("Trabajo"), _visible(WORK, user)), (_l("Administración"), _visible(ADMINISTRATION, user))]
    return [(title, cards) for title, cards in sections if cards]


def security_summary() -> dict:
    """Two numbers an admin should notice: failed logins in the last day and sign-in delays in force now."""
    now = utcnow()
    failed = db.session.execute(
        select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "auth.login_failed", AuditEntry.created_at >= now - timedelta(days=1)
        )
    ).scalar_one()
    delayed = db.session.execute(
        select(func.count(RateLimit.id)).where(RateLimit.scope.startswith("login-"), RateLimit.blocked_until > now)
    ).scalar_one()
    return {"failed_logins": failed, "delayed_logins": delayed}
