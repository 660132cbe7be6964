"""Shared fixtures: one app and schema per session, one rolled-back transaction per test.

Set TEST_DATABASE_URL to run the suite on PostgreSQL; SQLite in a temp folder is the default.
"""

import os
import secrets
import uuid
from contextlib import contextmanager

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import scoped_session, sessionmaker

from config import TestingConfig
from crm import create_app
from crm.extensions import db


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


class CSRFClient(FlaskClient):
    """A test client that sends a valid CSRF token on every unsafe request, like the real pages do."""

    send_csrf = True

    def csrf_token(self) -> str:
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", secrets.token_hex(20))
        return URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token").dumps(raw)

    def open(self, *args, **kwargs):
        method = (kwargs.get("method") or "GET").upper()
        if self.send_csrf and method not in ("GET", "HEAD", "OPTIONS"):
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRFToken", self.csrf_token())
            kwargs["headers"] = headers
        # The test holds an app context for the whole test; start each request with an empty `g`.
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


def make_app(url: str, **overrides):
    return create_app(TestingConfig(SQLALCHEMY_DATABASE_URI=url, **overrides))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    return _database_url(tmp_path_factory)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    application = make_app(database_url, MAIL_FILE_DIR=str(tmp_path_factory.mktemp("mail")))
    application.test_client_class = CSRFClient
    with application.app_context():
        db.drop_all()
        db.create_all()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _transaction(request, app):
    """Every test runs inside a transaction that is rolled back at the end."""
    if {"isolated_app", "live_server"} & set(request.fixturenames):
        yield None
        return
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        session = scoped_session(sessionmaker(bind=connection, join_transaction_mode="create_savepoint"))
        real_session = db.session
        db.session = session
        try:
            yield session
        finally:
            session.remove()
            db.session = real_session
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def raw_client(app):
    """A client that sends no CSRF token, as a forged cross-site form would."""
    test_client = app.test_client()
    test_client.send_csrf = False
    return test_client


@pytest.fixture
def isolated_app(database_url, tmp_path):
    """A separate, really committed database for tests with several connections or processes."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'isolated.sqlite3'}"
        cleanup = None
    else:
        name = f"crm_iso_{uuid.uuid4().hex[:10]}"
        admin = create_engine(make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(database_url).set(database=name).render_as_string(hide_password=False)

        def cleanup():
            with admin.connect() as conn:
                conn.execute(
                    text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name}
                )
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            admin.dispose()

    application = make_app(url, MAIL_FILE_DIR=str(tmp_path / "mail"))
    application.test_client_class = CSRFClient
    with application.app_context():
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    if cleanup:
        cleanup()


@pytest.fixture
def make_user():
    """Create and commit a user; password defaults to a valid one."""
    from crm.accounts import operations

    counter = iter(range(1, 10_000))

    def factory(role="officer", email=None, password="una frase bastante larga", **fields):
        n = next(counter)
        user = operations.create_user(
            email=email or f"{role}{n}-{uuid.uuid4().hex[:6]}@example.org", name=fields.pop("name", f"{role.title()} {n}"),
            role=role, password=password, **{k: v for k, v in fields.items() if k in ("language", "partner_organisation_id")}
        )
        for key, value in fields.items():
            setattr(user, key, value)
        db.session.commit()
        return user

    return factory


def login(client, user):
    """Sign a user in through the session cookie, as a successful login would."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


@pytest.fixture
def login_as(client):
    def do(user):
        login(client, user)
        return client

    return do


@contextmanager
def count_statements():
    """Count SQL statements sent to the database inside the block."""
    statements = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


@pytest.fixture
def count_queries():
    """The one way tests count SQL: `with count_queries() as sql: ...; assert len(sql) == N`."""
    return count_statements


# --- Browser journeys: the system Chromium driven by Playwright against a real server thread ---

CHROMIUM = os.environ.get("CRM_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def live_server(isolated_app):
    """Serve the isolated app on a free loopback port; yields its base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, isolated_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport=PHONE, locale="es-PE", timezone_id="America/Lima", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="es-PE", timezone_id="America/Lima")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def live_user(isolated_app):
    """Create a committed user in the live server's database."""

    def factory(role="officer", password="una frase bastante larga", **fields):
        from crm.accounts import operations

        with isolated_app.app_context():
            user = operations.create_user(
                email=fields.pop("email", f"{role}-{uuid.uuid4().hex[:6]}@example.org"),
                name=fields.pop("name", role.title()), role=role, password=password,
            )
            for key, value in fields.items():
                setattr(user, key, value)
            db.session.commit()
            return {"id": user.id, "email": user.email, "password": password, "name": user.name}

    return factory


def browser_login(page, base_url, user):
    page.goto(f"{base_url}/login")
    page.fill("input[name=email]", user["email"])
    page.fill("input[name=password]", user["password"])
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
