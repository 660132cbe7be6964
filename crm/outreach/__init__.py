from flask import Blueprint

bp = Blueprint("outreach", __name__)

# activity registers outreach's contact and task subqueries with the whip count (campaigns cannot import
# outreach); labels holds the interaction kind and task labels, their template filters and the audit actions';
# task_rows gives templates the task list item.
from crm.outreach import activity, labels, task_rows  # noqa: E402, F401
