from flask import Blueprint

bp = Blueprint("legislature", __name__)

# Committee role and gender labels, their template filters and the legislature audit actions' labels.
from crm.legislature import labels  # noqa: E402, F401
