"""One search box for everything a user may open: legislators, aides, partners, meetings, tasks, press."""

from flask import Blueprint

bp = Blueprint("search", __name__)


def init_app(app) -> None:
    # In the hook, not at import: the index listens on sessions only once the app is being built.
    from crm.search import indexing

    indexing.install()
    app.register_blueprint(bp)
