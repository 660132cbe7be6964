from flask import render_template
from flask_login import login_required

from crm.legislature import bp


@bp.route("/legislators")
@login_required
def directory():
    return render_template("home/placeholder.html")
