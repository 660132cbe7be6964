from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from crm.coalition.regions import REGIONS

PLACE_KIND_CHOICES = [
    SelectChoice("", _l("— Sin indicar —")),
    SelectChoice("universidad", _l("Universidad")),
    SelectChoice("centro_comercial", _l("Centro comercial")),
    SelectChoice("colegio", _l("Colegio")),
    SelectChoice("evento_comunitario", _l("Evento comunitario")),
    SelectChoice("mercado", _l("Mercado")),
    SelectChoice("plaza", _l("Plaza o espacio público")),
    SelectChoice("otro", _l("Otro")),
]
MEDIA_KIND_CHOICES = [
    SelectChoice("press", _l("Prensa escrita")),
    SelectChoice("radio", _l("Radio")),
    SelectChoice("tv", _l("Televisión")),
    SelectChoice("online", _l("Medio digital")),
]
REGION_CHOICES = [SelectChoice("", _l("— Elija una región —"))] + [SelectChoice(name, name) for name in REGIONS]


class PartnerForm(FlaskForm):
    name = StringField(_l("Nombre"), validators=[DataRequired(), Length(max=200)])
    contact_name = StringField(_l("Persona de contacto"), validators=[Optional(), Length(max=200)])
    contact_email = EmailField(
        _l("Correo de contacto"),
        # A plain pattern: the email_validator package that wtforms' Email() needs is not installed.
        validators=[Optional(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Escriba un correo válido.")), Length(max=254)],
    )
    contact_phone = StringField(_l("Teléfono"), validators=[Optional(), Length(max=60)])
    notes = TextAreaField(_l("Notas internas del equipo"), validators=[Optional(), Length(max=5000)])


class DriveForm(FlaskForm):
    campaign_id = SelectField(_l("Campaña"), coerce=int, validators=[DataRequired(_l("Elija una campaña."))])
    name = StringField(_l("Nombre"), validators=[DataRequired(), Length(max=200)])
    threshold = IntegerField(
        _l("Umbral legal de firmas verificadas"),
        validators=[InputRequired(_l("Indique el umbral.")), NumberRange(min=1, message=_l("Debe ser mayor que cero."))],
    )
    deadline = DateField(_l("Fecha límite"), validators=[Optional()])


class BatchForm(FlaskForm):
    collected_on = DateField(_l("Fecha de recolección"), validators=[InputRequired(_l("Indique la fecha."))])
    place = StringField(_l("Evento o lugar"), validators=[Optional(), Length(max=200)])
    place_kind = SelectField(_l("Tipo de lugar"), choices=PLACE_KIND_CHOICES, validators=[Optional()])
    region = SelectField(_l("Región"), choices=REGION_CHOICES, validators=[DataRequired(_l("Elija la región."))])
    collector = SelectField(_l("Recolectado por"), validators=[DataRequired(_l("Indique quién recolectó."))])
    collected = IntegerField(
        _l("Firmas recolectadas"),
        validators=[InputRequired(_l("Indique cuántas firmas.")), NumberRange(min=1, message=_l("Debe ser mayor que cero."))],
    )
    notes = TextAreaField(_l("Notas"), validators=[Optional(), Length(max=2000)])


def _count(label):
    return IntegerField(label, default=0, validators=[
        InputRequired(_l("Indique un número (0 si no hay).")), NumberRange(min=0, message=_l("No puede ser negativo.")),
    ])


class VerifyForm(FlaskForm):
    verified = _count(_l("Verificadas"))
    rejected_duplicate = _count(_l("Rechazadas: duplicadas"))
    rejected_invalid_id = _count(_l("Rechazadas: DNI inválido"))
    rejected_illegible = _count(_l("Rechazadas: ilegibles"))
    rejected_other = _count(_l("Rechazadas: otro motivo"))


class ImportForm(FlaskForm):
    file = FileField(_l("Archivo CSV"))


class ImportConfirmForm(FlaskForm):
    content = HiddenField()


class MentionForm(FlaskForm):
    published_on = DateField(_l("Fecha de publicación"), validators=[InputRequired(_l("Indique la fecha."))])
    outlet = StringField(_l("Medio"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Tipo"), choices=MEDIA_KIND_CHOICES)
    title = StringField(_l("Título"), validators=[Optional(), Length(max=300)])
    url = StringField(_l("Enlace"), validators=[Optional(), Length(max=500)])
    campaign_id = SelectField(_l("Campaña"), coerce=int, validators=[Optional()])
    # Filled by the legislator picker (hidden inputs); operations check that each id exists.
    legislator_ids = SelectMultipleField(_l("Legisladores mencionados"), coerce=int, choices=[], validate_choice=False,
                                         validators=[Optional()])
