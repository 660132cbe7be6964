from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from crm.campaigns.labels import COMMITMENT, STANCE
from crm.campaigns.models import DEFAULT_COMMITMENT, DEFAULT_CONFIDENCE
from crm.core.forms import choices

STATUS_CHOICES = [
    ("active", _l("Activa")),
    ("paused", _l("En pausa")),
    ("won", _l("Ganada")),
    ("lost", _l("Perdida")),
    ("archived", _l("Archivada")),
]
RULE_CHOICES = [
    ("absolute_majority", _l("Mayoría absoluta del número legal")),
    ("simple_majority", _l("Mayoría simple de presentes")),
    ("fraction", _l("Fracción calificada (2/3, 3/5…)")),
    ("fixed", _l("Número fijo de votos")),
]
ACCESS_CHOICES = [("aggregate", _l("Solo totales")), ("whip_list", _l("Lista de votos completa"))]


def select_choices(pairs):
    """Select choices as crm.core.forms.choices builds them, with None (no choice) posted as ""."""
    return choices(("" if value is None else value, label) for value, label in pairs)


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class CampaignForm(FlaskForm):
    name = StringField(_l("Nombre"), validators=[DataRequired(), Length(max=200)])
    bill_number = StringField(_l("Número de proyecto de ley"), validators=[Optional(), Length(max=60)])
    summary = TextAreaField(_l("Resumen"), validators=[Optional(), Length(max=5000)])
    status = SelectField(_l("Estado"), choices=select_choices(STATUS_CHOICES), default="active")
    legislature_id = SelectField(_l("Legislatura"), coerce=_int_or_none, validate_choice=False)
    going_cold_days = IntegerField(
        _l("Días sin contacto para considerarse «fría»"), default=21, validators=[Optional(), NumberRange(1, 365)]
    )


class StageForm(FlaskForm):
    name = StringField(_l("Nombre de la etapa"), validators=[DataRequired(), Length(max=200)])
    chamber_id = SelectField(_l("Cámara"), coerce=_int_or_none, validate_choice=False)
    committee_id = SelectField(_l("Comisión"), coerce=_int_or_none, validate_choice=False)
    target_date = DateField(_l("Fecha prevista"), validators=[Optional()])
    rule_kind = SelectField(_l("Regla de votación"), choices=select_choices(RULE_CHOICES), default="absolute_majority")
    expected_attendance_pct = IntegerField(
        _l("Asistencia esperada (%)"), validators=[Optional(), NumberRange(1, 100)]
    )
    fraction_numerator = IntegerField(_l("Fracción: numerador"), validators=[Optional(), NumberRange(1, 1000)])
    fraction_denominator = IntegerField(_l("Fracción: denominador"), validators=[Optional(), NumberRange(1, 1000)])
    fixed_votes = IntegerField(_l("Votos necesarios (número fijo)"), validators=[Optional(), NumberRange(1, 100000)])


class StanceForm(FlaskForm):
    level = SelectField(_l("Postura"), choices=STANCE.choices())
    commitment = SelectField(_l("Compromiso"), choices=COMMITMENT.choices(), default=DEFAULT_COMMITMENT)
    confidence = IntegerField(_l("Confianza (%)"), default=DEFAULT_CONFIDENCE, validators=[Optional(), NumberRange(0, 100)])
    evidence = TextAreaField(_l("Evidencia o fuente"), validators=[Optional(), Length(max=5000)])
    source_url = URLField(_l("Enlace a la fuente"), validators=[Optional(), URL(), Length(max=500)])


class BulkStanceForm(StanceForm):
    """Nothing is pre-chosen: saving for many people at once must never record a level nobody picked."""

    level = SelectField(_l("Postura"), choices=STANCE.choices(blank=_l("— Elija una postura —")),
                        validators=[DataRequired(message=_l("Elija una postura."))])


class LegislatorStanceForm(StanceForm):
    """One legislator on one campaign: the current assessment fills it in, otherwise level and commitment start
    blank and must be chosen, so a click never records a guess."""

    level = SelectField(_l("Postura"), choices=STANCE.choices(blank=_l("— Elija una postura —")),
                        validators=[DataRequired(message=_l("Elija una postura."))])
    commitment = SelectField(_l("Compromiso"), choices=COMMITMENT.choices(blank=_l("— Elija el compromiso —")),
                             validators=[DataRequired(message=_l("Elija el compromiso."))])
    confidence = IntegerField(_l("Confianza (%)"), default=DEFAULT_CONFIDENCE, validators=[
        InputRequired(message=_l("Indique la confianza, de 0 a 100.")), NumberRange(0, 100)])
    evidence = TextAreaField(_l("Evidencia o nota"), validators=[Optional(), Length(max=5000)])
    next = HiddenField()


class AccessForm(FlaskForm):
    """One select per partner organisation is added by the view (names access-<id>)."""
