from flask import Blueprint

bp = Blueprint("campaigns", __name__)


def init_app(app) -> None:
    from crm.campaigns.board_shortcut import install  # with the views, after the models

    app.register_blueprint(bp)
    install(app)

# Stance and commitment labels, their template filters and the campaign audit actions' labels; and the rows the
# cached whip board reads, so every process that writes (web, CLI, jobs) bumps its version.
from crm.campaigns import labels, watched  # noqa: E402, F401
