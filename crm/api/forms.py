"""The admin page's webhook subscription form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from crm.core.events import EVENTS
from crm.core.forms import choices


class SubscriptionForm(FlaskForm):
    url = StringField(_l("Dirección (URL)"), validators=[DataRequired(), Length(max=500)])
    events = SelectMultipleField(_l("Eventos"), choices=choices((e, e) for e in EVENTS),
                                 widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    owner_id = SelectField(_l("Con los permisos de"), coerce=int)
