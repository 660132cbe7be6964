from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, EmailField, IntegerField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from crm.core.forms import choices
from crm.legislature.labels import COMMITTEE_ROLE, GENDER

FORMAT_CHOICES = choices([
    ("openperu", "OpenPeru (congresistas.json)"),
    ("congress-legislators", "unitedstates/congress-legislators"),
    ("popolo", "Popolo JSON"),
    ("csv", _l("CSV de Cabildeo")),
])


class LegislatorForm(FlaskForm):
    full_name = StringField(_l("Nombre completo"), validators=[DataRequired(), Length(max=200)])
    given_name = StringField(_l("Nombres"), validators=[Optional(), Length(max=120)])
    family_name = StringField(_l("Apellidos"), validators=[Optional(), Length(max=120)])
    sort_name = StringField(_l("Nombre para ordenar"), validators=[Optional(), Length(max=200)])
    gender = SelectField(_l("Género"), choices=GENDER.choices(blank=GENDER.missing), validators=[Optional()])
    birth_date = DateField(_l("Fecha de nacimiento"), validators=[Optional()])
    email = EmailField(_l("Correo"), validators=[Optional(), Length(max=254)])
    phone = StringField(_l("Teléfono"), validators=[Optional(), Length(max=60)])
    office = StringField(_l("Oficina"), validators=[Optional(), Length(max=200)])
    photo_url = URLField(_l("URL de la foto"), validators=[Optional(), Length(max=500)])
    district = StringField(_l("Distrito electoral"), validators=[Optional(), Length(max=120)])
    links = TextAreaField(_l("Enlaces (uno por línea)"), validators=[Optional(), Length(max=5000)])
    notes = TextAreaField(_l("Notas"), validators=[Optional(), Length(max=5000)])


class OwnerForm(FlaskForm):
    owner = SelectField(_l("Responsable de la relación"), choices=[], validate_choice=True)


class AideForm(FlaskForm):
    name = StringField(_l("Nombre"), validators=[DataRequired(), Length(max=200)])
    title = StringField(_l("Cargo"), validators=[Optional(), Length(max=120)])
    email = EmailField(_l("Correo"), validators=[Optional(), Length(max=254)])
    phone = StringField(_l("Teléfono"), validators=[Optional(), Length(max=60)])
    notes = TextAreaField(_l("Notas"), validators=[Optional(), Length(max=5000)])


class GroupSwitchForm(FlaskForm):
    group_id = SelectField(_l("Nuevo grupo o partido"), coerce=int, choices=[])
    start_date = DateField(_l("Desde"), validators=[DataRequired()])


class ImportForm(FlaskForm):
    format = SelectField(_l("Formato"), choices=FORMAT_CHOICES)
    file = FileField(_l("Archivo de legisladores"), validators=[FileRequired(_l("Elija un archivo."))])
    committees = FileField(_l("Comisiones (committees-current.yaml, opcional)"))
    memberships = FileField(_l("Membresías de comisiones (committee-membership-current.yaml, opcional)"))
    legislature = StringField(_l("Legislatura"), validators=[Optional(), Length(max=200)])
    country = StringField(_l("País (código ISO de 2 letras)"), validators=[Optional(), Length(min=2, max=2)])
    chamber = StringField(_l("Cámara"), validators=[Optional(), Length(max=120)])
    seats = IntegerField(_l("Escaños legales de la cámara"), validators=[Optional(), NumberRange(min=1, max=2000)])
    period = StringField(_l("Periodo (p. ej. 2011-2016)"), validators=[Optional(), Length(max=40)])


class CommitteeMembershipForm(FlaskForm):
    committee_id = SelectField(_l("Comisión"), coerce=int, choices=[])
    role = SelectField(_l("Rol"), choices=COMMITTEE_ROLE.choices(), default="member")
    start_date = DateField(_l("Desde"), validators=[Optional()])


class LegislatureForm(FlaskForm):
    name = StringField(_l("Nombre"), validators=[DataRequired(), Length(max=200)])
    country = StringField(_l("País (código ISO de 2 letras)"), default="PE", validators=[DataRequired(), Length(min=2, max=2)])
    period_label = StringField(_l("Periodo (p. ej. 2026–2031)"), validators=[Optional(), Length(max=80)])
    start_date = DateField(_l("Inicio"), validators=[Optional()])
    end_date = DateField(_l("Fin"), validators=[Optional()])


class ChamberForm(FlaskForm):
    name = StringField(_l("Nombre de la cámara"), validators=[DataRequired(), Length(max=120)])
    seats = IntegerField(_l("Escaños legales"), validators=[DataRequired(), NumberRange(min=1, max=2000)])


class SeatsForm(FlaskForm):
    seats = IntegerField(_l("Escaños legales"), validators=[DataRequired(), NumberRange(min=1, max=2000)])


class CommitteeForm(FlaskForm):
    name = StringField(_l("Nombre de la comisión"), validators=[DataRequired(), Length(max=200)])
