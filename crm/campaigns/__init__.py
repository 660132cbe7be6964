from flask import Blueprint

bp = Blueprint("campaigns", __name__)

# Stance and commitment labels, their template filters and the campaign audit actions' labels.
from crm.campaigns import labels  # noqa: E402, F401
