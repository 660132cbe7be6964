from flask import render_template
from flask_login import login_required

from crm.reminders import bp


@bp.route("/admin/mail")
@login_required
def outbox():
    return render_template("home/placeholder.html")
