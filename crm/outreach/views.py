from flask import render_template
from flask_login import login_required

from crm.outreach import bp


@bp.route("/tasks")
@login_required
def my_tasks():
    return render_template("home/placeholder.html")
