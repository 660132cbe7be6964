from flask import render_template, request
from flask_login import current_user

from crm.accounts.queries import staff_choices
from crm.audit import bp, queries
from crm.core import audit
from crm.core.pagination import parse_page
from crm.core.permissions import manager_required
from crm.core.views import day_arg, int_arg


@bp.route("", strict_slashes=False)
@manager_required
def index():
    actor = int_arg("actor")
    page = queries.audit_page(
        page=parse_page(request.args.get("page")),
        action=request.args.get("action") or None,
        hide_logins=request.args.get("hide_logins") == "1",
        actor_id=actor,
        object_type=request.args.get("object_type") or None,
        object_id=request.args.get("object_id") or None,
        day_from=day_arg("from"),
        day_to=day_arg("to"),
        tz=current_user.timezone,
    )
    return render_template(
        "audit/index.html", page=page, actors=staff_choices(),
        object_types=[(t, audit.object_kind_label(t)) for t in queries.object_types()],
        actions=sorted(audit.action_labels().items(), key=lambda item: str(item[1])),
    )
