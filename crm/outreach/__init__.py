from flask import Blueprint

bp = Blueprint("outreach", __name__)

# Registers outreach's contact and task subqueries with the whip count (campaigns cannot import outreach).
from crm.outreach import activity  # noqa: E402, F401
