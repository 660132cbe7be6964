"""Fixtures for the foundation tests: extra app instances and empty databases."""

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import ProductionConfig
from crm import create_app
from crm.extensions import db
from tests.conftest import CSRFClient, make_app


class AppContextClient(CSRFClient):
    """CSRFClient for apps used without the suite's long-lived app context (isolated or extra apps).

    Each request runs in its own app context, as in a real worker, so nothing is shared between requests.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(autouse=True)
def _isolated_client_class(request):
    if "isolated_app" in request.fixturenames:
        request.getfixturevalue("isolated_app").test_client_class = AppContextClient


def dispose(application) -> None:
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def fresh_database_url(database_url, tmp_path):
    """A new, completely empty database on the backend the suite runs on (no create_all)."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    name = f"crm_fresh_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture
def second_app(isolated_app, tmp_path):
    """Another app object (as another gunicorn worker would be) on the isolated app's database."""
    application = make_app(isolated_app.config["SQLALCHEMY_DATABASE_URI"], MAIL_FILE_DIR=str(tmp_path / "mail2"))
    application.test_client_class = AppContextClient
    yield application
    dispose(application)


def production_app_for(url: str, **overrides):
    """The production configuration, with only what a real deployment must set added by hand."""
    config = ProductionConfig(
        environ={},
        SECRET_KEY="a-production-secret-of-enough-length",
        TRUSTED_HOSTS=["localhost"],
        SQLALCHEMY_DATABASE_URI=url,
        PASSWORD_HASH_METHOD="scrypt:1024:8:1",
        LOG_FORMAT="text",
        MAIL_FILE_DIR="",
        **overrides,
    )
    application = create_app(config)
    application.test_client_class = AppContextClient
    return application


@pytest.fixture
def production_app(isolated_app):
    """A production-configured app on the isolated (really committed) database."""
    application = production_app_for(isolated_app.config["SQLALCHEMY_DATABASE_URI"])
    yield application
    dispose(application)


def committed_user(application, role="officer", password="una frase bastante larga", **fields) -> dict:
    """Create a user in an app's own database and return plain values (no ORM object outlives the context)."""
    from crm.accounts import operations

    with application.app_context():
        user = operations.create_user(
            email=fields.pop("email", f"{role}-{uuid.uuid4().hex[:6]}@example.org"),
            name=fields.pop("name", role.title()),
            role=role,
            password=password,
        )
        for key, value in fields.items():
            setattr(user, key, value)
        db.session.commit()
        return {"id": user.id, "email": user.email, "password": password, "name": user.name}
