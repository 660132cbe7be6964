from flask import Blueprint

bp = Blueprint("reminders", __name__)

# The labels of this domain's audit actions, registered with crm.core.audit.
from crm.reminders import labels  # noqa: E402, F401
