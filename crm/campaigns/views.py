from flask import render_template
from flask_login import login_required

from crm.campaigns import bp


@bp.route("/campaigns")
@login_required
def index():
    return render_template("home/placeholder.html")
