"""Forms for interactions, quick logging and tasks. Times are typed in the user's timezone."""

from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from crm.campaigns.labels import COMMITMENT
from crm.campaigns.models import STANCE_LEVELS
from crm.core.time import local_to_utc, local_today, utcnow
from crm.core.views import parse_id
from crm.outreach.labels import INTERACTION_KIND, TASK_PRIORITY, TASK_STATUS
from crm.outreach.operations import TaskDraft

DUE_CHOICES = [
    ("today", _l("Hoy")),
    ("tomorrow", _l("Mañana")),
    ("friday", _l("Viernes")),
    ("next_week", _l("Próx. semana")),
    ("date", _l("Otra fecha")),
]
DEFAULT_DUE_TIME = time(18, 0)
TASK_SLOTS = 3
PLACE_SUGGESTIONS = (
    _l("Pasillo"),
    _l("Despacho"),
    _l("Sala de comisión"),
    _l("Hemiciclo"),
    _l("Por teléfono"),
    _l("Café"),
)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class InteractionForm(FlaskForm):
    kind = SelectField(_l("Tipo"), choices=INTERACTION_KIND.choices())
    starts_at = DateTimeLocalField(
        _l("Fecha y hora"), format="%Y-%m-%dT%H:%M", validators=[DataRequired(message=_l("Indique la fecha y hora."))]
    )
    duration_minutes = IntegerField(
        _l("Duración (minutos)"),
        validators=[Optional(), NumberRange(min=1, max=1440, message=_l("Entre 1 y 1440 minutos."))],
    )
    place = StringField(_l("Lugar"), validators=[Optional(), Length(max=200)])
    campaign_id = SelectField(_l("Campaña"), coerce=int, choices=[], validate_choice=False)
    legislator_ids = SelectMultipleField(_l("Legisladores"), coerce=int, choices=[], validate_choice=False)
    aide_ids = SelectMultipleField(_l("Asesores"), coerce=int, choices=[], validate_choice=False)
    staff_ids = MultiCheckboxField(_l("Nuestro equipo"), coerce=int, choices=[], validate_choice=False)
    partner_ids = MultiCheckboxField(_l("Organizaciones aliadas"), coerce=int, choices=[], validate_choice=False)
    notes = TextAreaField(_l("Notas"), validators=[Optional(), Length(max=20_000)])
    notes_internal = BooleanField(_l("Notas y resultado internos (las aliadas no los ven)"))
    outcome = TextAreaField(_l("Resultado"), validators=[Optional(), Length(max=5_000)])


class QuickLogForm(FlaskForm):
    """One form spread over at most three screens; earlier screens travel as hidden fields."""

    step = HiddenField(default="1")
    legislator_ids = SelectMultipleField(_l("Legisladores"), coerce=int, choices=[], validate_choice=False)
    kind = SelectField(_l("Tipo"), choices=INTERACTION_KIND.choices(), default="meeting")
    place = StringField(_l("Lugar"), validators=[Optional(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Cuándo"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    campaign_id = SelectField(_l("Campaña"), coerce=int, choices=[], validate_choice=False)
    notes = TextAreaField(_l("Nota"), validators=[Optional(), Length(max=20_000)])
    notes_internal = BooleanField(_l("Nota interna (las aliadas no la ven)"))
    # Shown next to the stances on screen 2, filled with the defaults for the kind of contact.
    stance_commitment = SelectField(_l("Compromiso de las posturas"), choices=COMMITMENT.choices(),
                                    validate_choice=False)
    stance_confidence = IntegerField(_l("Confianza (%)"), validators=[Optional(), NumberRange(0, 100)])


class TaskForm(FlaskForm):
    title = StringField(_l("Título"), validators=[DataRequired(message=_l("Escriba el título de la tarea.")), Length(max=200)])
    description = TextAreaField(_l("Descripción"), validators=[Optional(), Length(max=10_000)])
    due_date = DateField(_l("Fecha límite"), validators=[Optional()])
    due_time = TimeField(_l("Hora"), validators=[Optional()])
    priority = SelectField(_l("Prioridad"), choices=TASK_PRIORITY.choices(), default="normal")
    assignee_id = SelectField(_l("Responsable"), coerce=int, choices=[], validate_choice=False)
    campaign_id = SelectField(_l("Campaña"), coerce=int, choices=[], validate_choice=False)
    legislator_id = HiddenField()
    interaction_id = HiddenField()
    status = SelectField(_l("Estado"), choices=TASK_STATUS.choices(), default="open")


class EmptyForm(FlaskForm):
    """CSRF only, for button-only POSTs."""


# --- Helpers shared by the views ---


def due_from_choice(choice: str, day: str | None, at: str | None, tz_name: str, now: datetime | None = None):
    """Turn "by Friday" and friends into an aware UTC instant at the end of that working day."""
    today = local_today(tz_name, now or utcnow())
    if choice == "today":
        target = today
    elif choice == "tomorrow":
        target = today + timedelta(days=1)
    elif choice == "friday":
        target = today + timedelta(days=(4 - today.weekday()) % 7)
    elif choice == "next_week":
        target = today + timedelta(days=7 - today.weekday())
    elif choice == "date":
        try:
            target = date.fromisoformat(day or "")
        except ValueError:
            return None, _l("Elija una fecha válida.")
    else:
        return None, None
    clock = DEFAULT_DUE_TIME
    if at:
        try:
            clock = time.fromisoformat(at)
        except ValueError:
            return None, _l("Escriba una hora válida.")
    return local_to_utc(datetime.combine(target, clock), tz_name), None


def parse_task_slots(form_data, tz_name: str, default_assignee: int, legislator_ids=()):
    """Up to TASK_SLOTS follow-ups typed with an interaction; blank slots are skipped.

    Returns (drafts as dicts, errors keyed by slot index, raw values to redisplay).
    """
    drafts, errors, raw = [], {}, []
    for i in range(TASK_SLOTS):
        values = {
            key: (form_data.get(f"task-{i}-{key}") or "").strip()
            for key in ("title", "due", "date", "time", "assignee", "legislator")
        }
        raw.append(values)
        if not values["title"]:
            continue
        if len(values["title"]) > 200:
            errors[i] = _l("El título no puede pasar de 200 caracteres.")
            continue
        due_at, problem = due_from_choice(values["due"], values["date"], values["time"], tz_name)
        if problem:
            errors[i] = problem
            continue
        assignee = parse_id(values["assignee"]) or default_assignee
        legislator = parse_id(values["legislator"])
        if legislator is not None and legislator not in legislator_ids:
            legislator = None
        drafts.append(TaskDraft(title=values["title"], due_at=due_at, assignee_id=assignee, legislator_id=legislator))
    return drafts, errors, raw


def parse_stances(form_data, legislator_ids) -> dict[int, str]:
    """Fields named stance-<legislator id>; blank means "not recorded this time"."""
    stances = {}
    for legislator_id in legislator_ids:
        level = (form_data.get(f"stance-{legislator_id}") or "").strip()
        if level in STANCE_LEVELS:
            stances[legislator_id] = level
    return stances


def parse_ids(values) -> list[int]:
    """The ids among `values`, in order and once each; malformed or out-of-range values are left out."""
    ids = (parse_id(value) for value in values)
    return list(dict.fromkeys(i for i in ids if i is not None))
