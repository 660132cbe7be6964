from flask import Blueprint

bp = Blueprint("accounts", __name__)

# The labels of this domain's audit actions, registered with crm.core.audit.
from crm.accounts import labels  # noqa: E402, F401
