from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from crm.core.forms import choices
from crm.votes.importers import FORMAT_LABELS
from crm.votes.labels import BILL_STATUS, POSITION, RESULT


class VoteImportForm(FlaskForm):
    format = SelectField(_l("Formato"), choices=choices(FORMAT_LABELS.items()))
    file = FileField(_l("Archivo de votaciones"), validators=[FileRequired()])
    body = SelectField(_l("Órgano que votó"), choices=[], validators=[DataRequired()])
    dry_run = BooleanField(_l("Solo revisar (sin cambios)"), default=True)


class BillForm(FlaskForm):
    legislature_id = SelectField(_l("Legislatura"), choices=[], coerce=int)
    number = StringField(_l("Número"), validators=[DataRequired(), Length(max=60)])
    title = StringField(_l("Título"), validators=[DataRequired(), Length(max=500)])
    authors = TextAreaField(_l("Autores (uno por línea)"), validators=[Optional(), Length(max=5000)])
    summary = TextAreaField(_l("Resumen"), validators=[Optional(), Length(max=5000)])


class BillStepForm(FlaskForm):
    status = SelectField(_l("Estado"), choices=BILL_STATUS.choices())
    day = DateField(_l("Fecha"), validators=[DataRequired()])
    note = StringField(_l("Nota"), validators=[Optional(), Length(max=500)])


class FollowForm(FlaskForm):
    bill_id = SelectField(_l("Proyecto de ley"), choices=[], coerce=int)


class StageStepForm(FlaskForm):
    stage_id = SelectField(_l("Etapa"), choices=[], coerce=int)
    bill_step_id = SelectField(_l("Paso del proyecto"), choices=[], coerce=int)


class ManualVoteForm(FlaskForm):
    body = SelectField(_l("Comisión o cámara"), choices=[], validators=[DataRequired()])
    start_at = DateTimeLocalField(_l("Fecha y hora"), validators=[DataRequired()])
    motion = StringField(_l("Moción"), validators=[DataRequired(), Length(max=2000)])
    bill_step_id = SelectField(_l("Paso del proyecto"), choices=[], validators=[Optional()])
    result = SelectField(_l("Resultado"), choices=RESULT.choices(blank="—"), validators=[Optional()])


class EvidenceForm(FlaskForm):
    campaign_id = SelectField(_l("Campaña"), choices=[], coerce=int)
    our_position = SelectField(_l("Nuestra posición en esta moción"), choices=POSITION.choices())


class ScorecardForm(FlaskForm):
    name = StringField(_l("Nombre"), validators=[DataRequired(), Length(max=200)])



