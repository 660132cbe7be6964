import math

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from crm.accounts import api_tokens, bp, operations, queries
from crm.accounts.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    InviteForm,
    LoginForm,
    PreferencesForm,
    SetPasswordForm,
    UserEditForm,
)
from crm.accounts.models import ApiToken, User
from crm.accounts.safe_next import safe_next
from crm.accounts.tokens import INVITE_MAX_AGE, RESET_MAX_AGE, check_token
from crm.core.compression import not_compressed
from crm.core.forms import choices, form_values
from crm.core.pagination import parse_page
from crm.core.permissions import admin_required
from crm.core.time import timezone_names, utcnow
from crm.core.transaction import keep_writes_on_error
from crm.core.views import acting_user
from crm.extensions import db


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated:
        return redirect(safe_next(form.next.data, url_for("home.index")))
    status = 200
    if form.validate_on_submit():
        user, wait = operations.authenticate(form.email.data, form.password.data, request.remote_addr or "-")
        if user:
            # A permanent session carries an expiry that Flask checks, so a copied cookie dies after 12 hours.
            session.permanent = True
            login_user(user, remember=form.remember.data)
            _adopt_footer_language(user)
            return redirect(safe_next(form.next.data, url_for("home.index")))
        if wait:
            flash(_("Demasiados intentos fallidos. Espere %(wait)s y vuelva a intentarlo.", wait=_wait_words(wait)),
                  "danger")
            status = 429
        else:
            flash(_("Correo o contraseña incorrectos."), "danger")
            status = 401
        # The failed attempt is the state we keep, even though the response is an error.
        keep_writes_on_error()
    return render_template("accounts/login.html", form=form), status


def _wait_words(wait) -> str:
    """A wait as people say it, rounded up: "3 segundos", "15 minutos"."""
    seconds = max(1, math.ceil(wait.total_seconds()))
    return format_timedelta(seconds, threshold=1.5, add_direction=False)


def _adopt_footer_language(user) -> None:
    """A language picked with the footer switch just before logging in is the one the person wants."""
    choice = request.cookies.get("lang")
    if choice in current_app.config["LANGUAGES"] and choice != user.language:
        operations.update_preferences(user, language=choice)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    operations.logout_everywhere(acting_user())
    logout_user()
    flash(_("Sesión cerrada."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = acting_user()
        try:
            operations.change_password(user, form.current_password.data, form.new_password.data)
        except operations.AccountError as error:
            form.new_password.errors.append(str(error))
        else:
            login_user(user)
            flash(_("Contraseña cambiada. Las otras sesiones se cerraron."), "success")
            return redirect(url_for("accounts.preferences"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def preferences():
    user = acting_user()
    form = PreferencesForm(obj=user)
    if form.validate_on_submit():
        values = form_values(form, operations.PREFERENCE_FIELDS)
        if values.get("digest_hour") is None:
            values["digest_hour"] = 8
        try:
            operations.update_preferences(user, **values)
        except operations.AccountError as error:
            form.timezone.errors.append(str(error))
        else:
            flash(_("Preferencias guardadas."), "success")
            return redirect(url_for("accounts.preferences"))
    return render_template("accounts/preferences.html", form=form, timezones=timezone_names())


@bp.route("/language/<code>", methods=["POST"])
def set_language(code):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    if current_user.is_authenticated:
        operations.update_preferences(acting_user(), language=code)
    response = redirect(safe_next(request.form.get("next"), url_for("home.index")))
    response.set_cookie(
        "lang", code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"]
    )
    return response


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    status = 200
    if form.validate_on_submit():
        wait = operations.request_password_reset(form.email.data, request.remote_addr or "-")
        if not wait:
            flash(_("Si el correo está registrado, recibirá un enlace para restablecer la contraseña."), "info")
            return redirect(url_for("accounts.login"))
        flash(_("Demasiadas solicitudes. Espere %(wait)s y vuelva a intentarlo.", wait=_wait_words(wait)), "danger")
        status = 429
        keep_writes_on_error()
    return render_template("accounts/forgot_password.html", form=form), status


def _set_password_page(token: str, purpose: str, max_age: int):
    user, problem, user_id = check_token(token, purpose, max_age)
    if user is None:
        operations.record_bad_link(purpose, problem, user_id)
        return render_template("accounts/link_invalid.html"), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            operations.change_password(user, None, form.new_password.data, check_current=False)
        except operations.AccountError as error:
            form.new_password.errors.append(str(error))
        else:
            if purpose == "invite":
                # Whoever holds the invitation has just proved it: they start working at once.
                session.permanent = True
                login_user(user)
                flash(_("Le damos la bienvenida a Cabildeo, %(name)s. Su contraseña quedó guardada.", name=user.name), "success")
                return redirect(url_for("home.index"))
            flash(_("Contraseña guardada. Ya puede iniciar sesión."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/set_password.html", form=form, purpose=purpose, target=user)


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token):
    return _set_password_page(token, "invite", INVITE_MAX_AGE)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    return _set_password_page(token, "reset", RESET_MAX_AGE)


@bp.route("/admin/users")
@admin_required
def users():
    page = queries.users_page(parse_page(request.args.get("page")), request.args.get("role"), request.args.get("active"))
    return render_template("accounts/users.html", page=page, now=utcnow())


def _partner_field(form):
    form.partner_organisation_id.choices = choices([(0, _("— Ninguna —")), *queries.partner_choices()])


@bp.route("/admin/users/invite", methods=["GET", "POST"])
@admin_required
def invite():
    form = InviteForm()
    _partner_field(form)
    if form.validate_on_submit():
        try:
            user = operations.invite_user(
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                language=form.language.data,
                partner_organisation_id=form.partner_organisation_id.data or None,
                actor=current_user,
            )
        except operations.AccountError as error:
            (form.partner_organisation_id if error.field else form.email).errors.append(str(error))
        else:
            flash(_("Invitación enviada a %(email)s.", email=user.email), "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/invite.html", form=form)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit_user(user_id):
    target = db.get_or_404(User, user_id)
    form = UserEditForm(obj=target)
    _partner_field(form)
    if request.method == "GET":
        form.partner_organisation_id.data = target.partner_organisation_id or 0
    if form.validate_on_submit():
        try:
            operations.update_user(
                target,
                actor=current_user,
                role=form.role.data,
                active=form.active.data,
                partner_organisation_id=form.partner_organisation_id.data or None,
            )
        except operations.AccountError as error:
            (form.partner_organisation_id if error.field else form.role).errors.append(str(error))
        else:
            flash(_("Usuario actualizado."), "success")
            return redirect(url_for("accounts.users"))
    return render_template("accounts/edit_user.html", form=form, target=target)


@bp.route("/account/tokens", methods=["GET", "POST"])
@not_compressed
@login_required
def api_tokens_page():
    """Personal access tokens for the JSON API: create (the token is shown once), see last use, revoke."""
    user = acting_user()
    form = ApiTokenForm()
    if not user.is_staff:
        form.scopes.choices = [c for c in form.scopes.choices if c.value == "read"]
    shown = None
    if form.validate_on_submit():
        try:
            _token, shown = api_tokens.create_token(user, name=form.name.data, scopes=form.scopes.data,
                                                    expires_in_days=form.expires_in_days.data)
        except api_tokens.TokenError as error:
            getattr(form, error.field or "name").errors.append(str(error))
        else:
            flash(_("Token creado. Cópielo ahora: no se volverá a mostrar."), "success")
            form = ApiTokenForm(formdata=None)
    return render_template("accounts/api_tokens.html", form=form, tokens=api_tokens.user_tokens(user), shown=shown,
                           now=utcnow())


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_api_token(token_id):
    user = acting_user()
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        abort(404)
    api_tokens.revoke_token(token, actor=user)
    flash(_("Token revocado."), "success")
    return redirect(url_for("accounts.api_tokens_page"))
