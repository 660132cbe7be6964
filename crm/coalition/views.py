from flask import render_template
from flask_login import login_required

from crm.coalition import bp


@bp.route("/partners")
@login_required
def partners():
    return render_template("home/placeholder.html")
