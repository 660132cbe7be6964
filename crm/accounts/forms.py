from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional, Regexp

from crm.core.forms import choices
from crm.core.permissions import ROLE_LABELS

ROLE_CHOICES = choices(ROLE_LABELS.items())
# A light shape check; the invitation email proves the address really works.
EMAIL_SHAPE = Regexp(r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$", message=_l("Escriba un correo válido."))
LANGUAGE_CHOICES = choices([("es_PE", "Español (Perú)"), ("en", "English")])


class LoginForm(FlaskForm):
    email = EmailField(_l("Correo"), validators=[DataRequired(), Length(max=254)], render_kw={"autocomplete": "username"})
    password = PasswordField(
        _l("Contraseña"), validators=[DataRequired(), Length(max=1024)], render_kw={"autocomplete": "current-password"}
    )
    remember = BooleanField(_l("Recordarme en este dispositivo"))
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Contraseña actual"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    new_password = PasswordField(
        _l("Nueva contraseña"), validators=[DataRequired()], render_kw={"autocomplete": "new-password"}
    )
    confirm = PasswordField(
        _l("Repita la nueva contraseña"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("Las contraseñas no coinciden."))],
        render_kw={"autocomplete": "new-password"},
    )


class SetPasswordForm(FlaskForm):
    new_password = PasswordField(
        _l("Nueva contraseña"), validators=[DataRequired()], render_kw={"autocomplete": "new-password"}
    )
    confirm = PasswordField(
        _l("Repita la nueva contraseña"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("Las contraseñas no coinciden."))],
        render_kw={"autocomplete": "new-password"},
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Correo"), validators=[DataRequired(), Length(max=254)])


class InviteForm(FlaskForm):
    email = EmailField(_l("Correo"), validators=[DataRequired(), EMAIL_SHAPE, Length(max=254)])
    name = StringField(_l("Nombre"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Rol"), choices=ROLE_CHOICES)
    language = SelectField(_l("Idioma"), choices=LANGUAGE_CHOICES)
    partner_organisation_id = SelectField(_l("Organización aliada"), coerce=int, choices=[])


class UserEditForm(FlaskForm):
    role = SelectField(_l("Rol"), choices=ROLE_CHOICES)
    active = BooleanField(_l("Cuenta activa"))
    partner_organisation_id = SelectField(_l("Organización aliada"), coerce=int, choices=[])


class PreferencesForm(FlaskForm):
    name = StringField(_l("Nombre"), validators=[DataRequired(), Length(max=120)])
    language = SelectField(_l("Idioma"), choices=LANGUAGE_CHOICES)
    timezone = StringField(
        _l("Zona horaria"), validators=[DataRequired(), Length(max=64)], render_kw={"list": "timezones", "autocomplete": "off"}
    )
    digest_hour = IntegerField(_l("Hora del resumen diario"), validators=[Optional(), NumberRange(0, 23)])
    notify_due_soon = BooleanField(_l("Tareas que vencen en 24 horas"))
    notify_overdue = BooleanField(_l("Tareas vencidas"))
    notify_meetings = BooleanField(_l("Reuniones próximas"))
    notify_digest = BooleanField(_l("Resumen diario"))
    notify_weekly = BooleanField(_l("Resumen semanal (dirección)"))


class ApiTokenForm(FlaskForm):
    name = StringField(_l("Nombre del token"), validators=[DataRequired(), Length(max=80)])
    scopes = SelectField(_l("Alcance"), choices=choices([("read", _l("Solo lectura")), ("read write", _l("Lectura y escritura"))]))
    expires_in_days = IntegerField(_l("Vigencia (días)"), default=90, validators=[DataRequired(), NumberRange(1, 366)])
