from datetime import date

from flask import render_template, request
from flask_login import current_user

from crm.accounts.queries import staff_choices
from crm.audit import bp, queries
from crm.core import audit
from crm.core.pagination import parse_page
from crm.core.permissions import manager_required
from crm.core.views import int_arg


def _date_arg(name):
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.route("", strict_slashes=False)
@manager_required
def index():
    actor = int_arg("actor")
    page = queries.audit_page(
        page=parse_page(request.args.get("page")),
        action=request.args.get("action") or None,
        actor_id=actor,
        object_type=request.args.get("object_type") or None,
        object_id=request.args.get("object_id") or None,
        day_from=_date_arg("from"),
        day_to=_date_arg("to"),
        tz=current_user.timezone,
    )
    return render_template(
        "audit/index.html", page=page, actors=staff_choices(), object_types=queries.object_types(),
        actions=sorted(audit.action_labels().items(), key=lambda item: str(item[1])),
    )
