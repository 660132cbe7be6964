"""Every write to users: validated, flushed and audited; the caller commits."""

import secrets
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from crm.accounts import throttle
from crm.accounts.models import User
from crm.accounts.passwords import hash_password, password_problem, verify_password
from crm.accounts.tokens import make_token
from crm.core import audit
from crm.core.mail import enqueue_email, external_url
from crm.core.permissions import ROLE_LABELS, Role
from crm.core.time import is_valid_timezone, utcnow
from crm.extensions import db

AUDITED_FIELDS = ("email", "name", "role", "active", "language", "timezone", "partner_organisation_id")
PREFERENCE_FIELDS = (
    "name",
    "language",
    "timezone",
    "digest_hour",
    "notify_due_soon",
    "notify_overdue",
    "notify_meetings",
    "notify_digest",
    "notify_weekly",
)


class AccountError(ValueError):
    """A refusal the user can act on; the message is already translated. `field` names the form field to blame."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def _check_partner(role, partner_organisation_id) -> None:
    """A viewer is a coalition partner's account: without an organisation it would see nothing, so refuse it."""
    if str(role) == Role.VIEWER and not partner_organisation_id:
        raise AccountError(_("Una cuenta de aliada (solo lectura) necesita una organización aliada."),
                           field="partner_organisation_id")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(select(User).where(func.lower(User.email) == normalise_email(email))).scalar_one_or_none()


def create_user(*, email, name, role, password=None, actor=None, language="es_PE", partner_organisation_id=None, is_demo=False):
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(_("Escriba un correo válido."))
    if role not in set(Role):
        raise AccountError(_("Rol desconocido: %(role)s", role=role))
    if find_user_by_email(email):
        raise AccountError(_("Ya existe un usuario con ese correo."))
    if password is not None:
        problem = password_problem(password, email, name)
        if problem:
            raise AccountError(str(problem))
    user = User(
        email=email,
        name=(name or email.split("@")[0]).strip(),
        role=str(role),
        active=True,
        language=language,
        timezone=current_app.config["BABEL_DEFAULT_TIMEZONE"],
        password_hash=hash_password(password) if password else None,
        created_at=utcnow(),
        partner_organisation_id=partner_organisation_id,
        session_version=1,
        failed_logins=0,
        digest_hour=8,
        is_demo=is_demo,
    )
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", user, new=audit.snapshot(user, AUDITED_FIELDS), actor=actor)
    return user


def invite_user(*, email, name, role, actor, partner_organisation_id=None, language="es_PE"):
    _check_partner(role, partner_organisation_id)
    user = create_user(
        email=email, name=name, role=role, actor=actor, language=language, partner_organisation_id=partner_organisation_id
    )
    send_account_link(user, "invite", inviter=actor)
    return user


def _account_link_email(user: User, purpose: str, inviter: User | None = None) -> dict:
    """Subject, bodies and idempotency key of an invitation or password-reset email with a signed link."""
    token = make_token(user, purpose)
    endpoint = "accounts.accept_invite" if purpose == "invite" else "accounts.reset_password"
    link = external_url(endpoint, token=token)
    with force_locale(user.language):
        if purpose == "invite":
            subject = _("Invitación a Cabildeo")
        else:
            subject = _("Restablecer su contraseña de Cabildeo")
        context = {"user": user, "link": link, "purpose": purpose, "inviter": inviter.name if inviter else None,
                   "role": str(ROLE_LABELS.get(user.role, user.role))}
        text = render_template("accounts/email/account_link.txt", **context)
        html = render_template("accounts/email/account_link.html", **context)
    return {"key": f"{purpose}:{user.id}:{token[-24:]}", "subject": subject, "text": text, "html": html}


def send_account_link(user: User, purpose: str, inviter: User | None = None) -> None:
    """Queue an invitation (saying who invites, and with which role) or a password-reset email with a signed link."""
    message = _account_link_email(user, purpose, inviter)
    enqueue_email(kind=purpose, recipient=user.email, user_id=user.id, **message)
    audit.record(f"user.{purpose}_sent", user)


def _login_keys(email: str, address: str) -> dict[str, str]:
    return {
        "login-pair": throttle.keyed_hash("login-pair", email, address),
        "login-address": throttle.keyed_hash("login-address", address),
    }


def authenticate(email: str, password: str, address: str = "-"):
    """Return (user, None) on success, or (None, wait) where wait is how long this client must wait (0 when none).

    Failures are counted in the database per email and client address together, and per address (for one
    address trying many emails). Past a few free failures each one adds a growing delay (2 s, 4 s, 8 s … up
    to a cap) for that email from that address, so failures from elsewhere never delay the owner; there is
    no account-wide lock to use as a weapon. Everything here, including the waiting, is the same whether or
    not an account has that email.
    """
    email = normalise_email(email)[:254]
    now = utcnow()
    config = current_app.config
    keys = _login_keys(email, address)
    wait = throttle.wait(keys, now)
    if wait:
        audit.record("auth.login_throttled", object_type="User", new=throttle.typed_email_for_audit(email))
        db.session.flush()
        return None, wait
    user = find_user_by_email(email)
    active = user is not None and user.active
    if active and verify_password(user.password_hash, password):
        throttle.clear("login-pair", keys["login-pair"], now)
        user.last_login_at = now
        audit.record("auth.login", user, actor=user)
        db.session.flush()
        return user, None
    if not active:
        verify_password(None, password)  # the same time as a real check
    max_delay = timedelta(minutes=config["LOGIN_MAX_DELAY_MINUTES"])
    window = timedelta(hours=config["LOGIN_WINDOW_HOURS"])
    free = {
        "login-pair": config["LOGIN_FREE_FAILURES"],
        "login-address": config["LOGIN_ADDRESS_FREE_FAILURES"],
    }
    for scope, key in keys.items():
        failures, _started = throttle.count(scope, key, now, window)
        delay = throttle.growing_delay(failures, free[scope], max_delay)
        if delay:
            throttle.block(scope, key, now + delay)
    if user is not None:
        audit.record("auth.login_failed", user, actor=user)
    else:
        audit.record("auth.login_failed", object_type="User", new=throttle.typed_email_for_audit(email))
    db.session.flush()
    return None, timedelta(0)


def request_password_reset(email: str, address: str = "-") -> timedelta:
    """Queue a reset link when an active account has this email; return how long to wait when throttled.

    The same work is done either way (lookup, token, both email bodies rendered, counters, an audit row),
    so neither the answer nor its timing tells whether the email has an account.
    """
    email = normalise_email(email)[:254]
    now = utcnow()
    config = current_app.config
    window = timedelta(minutes=config["RESET_WINDOW_MINUTES"])
    keys = {
        "reset-email": throttle.keyed_hash("reset-email", email),
        "reset-address": throttle.keyed_hash("reset-address", address),
    }
    wait = throttle.wait(keys, now)
    if wait:
        audit.record("auth.reset_throttled", object_type="User", new=throttle.typed_email_for_audit(email))
        db.session.flush()
        return wait
    limits = {"reset-email": config["RESET_PER_EMAIL"], "reset-address": config["RESET_PER_ADDRESS"]}
    for scope, key in keys.items():
        requests, started = throttle.count(scope, key, now, window)
        if requests >= limits[scope]:
            throttle.block(scope, key, started + window)
    user = find_user_by_email(email)
    real = user is not None and user.active
    target = user if real else User(id=0, email=email, name="", language=config["BABEL_DEFAULT_LOCALE"], session_version=1)
    message = _account_link_email(target, "reset")
    if real:
        enqueue_email(kind="reset", recipient=user.email, user_id=user.id, **message)
        audit.record("user.reset_sent", user)
    else:
        audit.record("auth.reset_unknown_email", object_type="User", new=throttle.typed_email_for_audit(email))
    db.session.flush()
    return timedelta(0)


def record_bad_link(purpose: str, problem: str, user_id: int | None) -> None:
    """An invitation or reset link that failed (forged, expired, already used): kept even though the page errs."""
    audit.record_after_rollback(
        f"auth.{purpose}_link_invalid", object_type="User", object_id=user_id, new={"problem": problem}
    )


def _end_sessions(user: User) -> None:
    """A new session version: every signed-in session and remember cookie of this user stops working."""
    user.session_version = (user.session_version or 1) + 1


def logout_everywhere(user: User) -> None:
    _end_sessions(user)
    audit.record("auth.logout", user, actor=user)
    db.session.flush()


def change_password(user: User, current: str | None, new: str, *, actor=None, check_current=True) -> None:
    if check_current and not verify_password(user.password_hash, current or ""):
        raise AccountError(_("La contraseña actual no es correcta."))
    problem = password_problem(new, user.email, user.name)
    if problem:
        raise AccountError(str(problem))
    user.password_hash = hash_password(new)
    _end_sessions(user)
    audit.record("user.password_changed", user, actor=actor or user)
    db.session.flush()


def update_user(user: User, *, actor, role=None, active=None, partner_organisation_id=...):
    before = audit.snapshot(user, AUDITED_FIELDS)
    _check_partner(role or user.role, user.partner_organisation_id if partner_organisation_id is ... else partner_organisation_id)
    if role is not None:
        if role not in set(Role):
            raise AccountError(_("Rol desconocido: %(role)s", role=role))
        if user.id == actor.id and role != Role.ADMIN:
            raise AccountError(_("No puede quitarse a sí mismo el rol de administrador."))
        user.role = str(role)
    if active is not None:
        if user.id == actor.id and not active:
            raise AccountError(_("No puede desactivar su propia cuenta."))
        if user.active and not active:
            _end_sessions(user)
        user.active = active
    if partner_organisation_id is not ...:
        user.partner_organisation_id = partner_organisation_id
    old, new = audit.changes(before, audit.snapshot(user, AUDITED_FIELDS))
    if new:
        audit.record("user.update", user, old=old, new=new, actor=actor)
    db.session.flush()
    return user


def update_preferences(user: User, **values) -> User:
    if "timezone" in values and not is_valid_timezone(values["timezone"]):
        raise AccountError(_("Zona horaria desconocida."))
    if "language" in values and values["language"] not in current_app.config["LANGUAGES"]:
        raise AccountError(_("Idioma no disponible."))
    if "digest_hour" in values and not 0 <= int(values["digest_hour"]) <= 23:
        raise AccountError(_("La hora del resumen debe estar entre 0 y 23."))
    before = audit.snapshot(user, PREFERENCE_FIELDS)
    for key, value in values.items():
        if key in PREFERENCE_FIELDS:
            setattr(user, key, value)
    old, new = audit.changes(before, audit.snapshot(user, PREFERENCE_FIELDS))
    if new:
        audit.record("user.preferences", user, old=old, new=new, actor=user)
    db.session.flush()
    return user


def new_calendar_token(user: User, *, actor=None) -> str:
    user.calendar_token = secrets.token_urlsafe(32)
    audit.record("user.calendar_token_reset", user, actor=actor or user)
    db.session.flush()
    return user.calendar_token


def revoke_calendar_token(user: User, *, actor=None) -> None:
    user.calendar_token = None
    audit.record("user.calendar_token_revoked", user, actor=actor or user)
    db.session.flush()
