from flask import jsonify, render_template
from flask_login import login_required
from sqlalchemy import text

from crm.extensions import db
from crm.home import bp


@bp.route("/")
@login_required
def index():
    return render_template("home/index.html")


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
