"""Application factory. No database queries run at start-up."""

from datetime import timedelta

from flask import Flask, g, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, ConfigError, config_from_env, warn_unknown_variables
from crm.extensions import babel, csrf, db, login_manager, migrate

BLUEPRINT_MODULES = (
    "crm.home",
    "crm.accounts",
    "crm.audit",
    "crm.legislature",
    "crm.campaigns",
    "crm.outreach",
    "crm.reminders",
    "crm.coalition",
    "crm.votes",
    "crm.api",
    "crm.search",
)


def create_app(config: Config | None = None) -> Flask:
    config = config or config_from_env()
    app = Flask(__name__, template_folder="../templates", static_folder="../static", instance_relative_config=False)
    app.config.from_object(config)
    if config.ENV_NAME == "production" and app.debug:
        # FLASK_DEBUG=1 (or `flask --debug`) would serve the Werkzeug debugger: remote code execution.
        raise ConfigError("FLASK_DEBUG is on: the debugger runs any code a visitor sends; unset it when CRM_ENV=production")
    app.permanent_session_lifetime = timedelta(seconds=app.config["PERMANENT_SESSION_LIFETIME"])
    # In the factory: any crm.* import runs this file first, so it must not load the app's modules.
    from crm.core.sessions import SlidingCookieSessionInterface

    app.session_interface = SlidingCookieSessionInterface()
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=14)

    # In the factory: any crm.* import runs this file first, so it must not load the app's modules.
    from crm.core import logging as crm_logging

    crm_logging.configure(app)
    warn_unknown_variables()
    if app.config["TRUSTED_HOSTS"]:
        app.config["TRUSTED_HOSTS"] = list(app.config["TRUSTED_HOSTS"])
    import crm.models  # noqa: F401  # in the factory, like the imports above

    _init_extensions(app)
    # In the factory: any crm.* import runs this file first, so it must not load the app's modules.
    from crm.core.views import IdConverter

    app.url_map.converters["int"] = IdConverter  # before the blueprints add their rules
    _register_blueprints(app)
    _register_request_hooks(app)

    # In the factory: any crm.* import runs this file first, so it must not load the app's modules.
    from crm.cli import crm_cli
    from crm.core import errors, jinja

    errors.register(app)
    jinja.register(app)
    app.cli.add_command(crm_cli)
    # Last, so that it wraps every middleware a domain put in front of Flask (the whip board's poll shortcut).
    if app.config["PROXY_HOPS"]:
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app


def _init_extensions(app: Flask) -> None:
    # In the factory: any crm.* import runs this file first, so it must not load the app's modules.
    from crm.core.database import configure_engine_options, install_sqlite_hooks

    configure_engine_options(app)
    db.init_app(app)
    with app.app_context():
        install_sqlite_hooks(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "basic"

    # In the factory: any crm.* import runs this file first, so it must not load the app's modules.
    from crm.accounts.session import load_user, localeselector, login_message, timezoneselector

    login_manager.user_loader(load_user)
    login_manager.localize_callback = login_message
    login_manager.login_message_category = "warning"
    babel.init_app(app, locale_selector=localeselector, timezone_selector=timezoneselector)

    # In the factory: any crm.* import runs this file first, so it must not load the app's modules.
    from crm.core import assets, compression

    # Registered before the request hooks, so the body is compressed after the commit and the headers.
    compression.register(app)
    assets.register(app)


def _register_blueprints(app: Flask) -> None:
    import importlib

    for name in BLUEPRINT_MODULES:
        module = importlib.import_module(name)
        importlib.import_module(f"{name}.views")
        if hasattr(module, "init_app"):
            module.init_app(app)
        else:
            app.register_blueprint(module.bp)


def _register_request_hooks(app: Flask) -> None:
    # In the factory: any crm.* import runs this file first, so it must not load the app's modules.
    from crm.core import limits
    from crm.core.logging import incoming_request_id
    from crm.core.security import apply_security_headers
    from crm.core.transaction import finish_transaction

    limits.register(app)

    @app.before_request
    def assign_request_id():
        if "request_id" not in g:  # else already set by the access log's first hook
            g.request_id = incoming_request_id()

    @app.after_request
    def finalise(response):
        # Read the user before the commit expires it: afterwards it would cost another SELECT. Static files
        # are the same for everyone: they never load the user, and may be cached (crm/core/assets.py).
        authenticated = request.endpoint != "static" and current_user.is_authenticated
        response = finish_transaction(response)
        response = apply_security_headers(response, authenticated=authenticated)
        response.headers["X-Request-ID"] = g.get("request_id", "")
        return response

    @app.teardown_request
    def rollback_on_error(exc):
        if exc is not None:
            db.session.rollback()
