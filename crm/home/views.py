import logging

from flask import jsonify, render_template
from flask_login import login_required
from sqlalchemy import text

from crm.core.logging import error_reason
from crm.core.time import utcnow
from crm.core.views import acting_user, user_today
from crm.extensions import db
from crm.home import bp, figures, queries

log = logging.getLogger("crm.health")


@bp.route("/")
@login_required
def index():
    user = acting_user()
    now, today = utcnow(), user_today()
    return render_template(
        "home/index.html",
        figures=figures.figures_for(user, now, today) if queries.figure_pages_exist() else None,
        today=today,
        sections=queries.home_sections(user),
        security=queries.security_summary() if user.is_admin else None,
        now=now,
    )


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        # The answer stays generic; the log says why ("password authentication failed", "Connection refused").
        log.warning("healthz answers 503: the database does not answer: %s", error_reason(error))
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
