from flask import Blueprint

bp = Blueprint("votes", __name__)

# Vote option and bill status labels, their template filters and the votes audit actions' labels.
from crm.votes import labels  # noqa: E402, F401
