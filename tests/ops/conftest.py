"""Fixtures for the production tests: separate SQLite files and throwaway PostgreSQL databases."""

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from crm.extensions import db
from tests.conftest import make_app


def _postgres_server_url() -> str | None:
    for name in ("TEST_DATABASE_URL", "TEST_POSTGRES_URL"):
        url = os.environ.get(name, "")
        if url.startswith("postgresql"):
            return url
    return None


@pytest.fixture
def new_postgres_database():
    """Create fresh, empty PostgreSQL databases named test_production_*; all dropped afterwards."""
    server = _postgres_server_url()
    if server is None:
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL (or TEST_POSTGRES_URL) to a postgresql URL")
    admin = create_engine(make_url(server).set(database="postgres"), isolation_level="AUTOCOMMIT")
    names = []

    def factory() -> str:
        name = f"test_production_{uuid.uuid4().hex[:10]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        names.append(name)
        return make_url(server).set(database=name).render_as_string(hide_password=False)

    yield factory
    with admin.connect() as connection:
        for name in names:
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name}
            )
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture
def postgres_database(new_postgres_database):
    return new_postgres_database()


@pytest.fixture
def app_for(isolated_app):
    """Build an app on a given URL (schema created); engines are disposed at the end.

    Asking for isolated_app switches off the shared rolled-back test transaction, so these apps talk to
    their own databases for real.
    """
    built = []

    def factory(url: str, create: bool = True, **overrides):
        application = make_app(url, **overrides)
        if create:
            with application.app_context():
                db.create_all()
        built.append(application)
        return application

    yield factory
    for application in built:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def sqlite_app(app_for, tmp_path):
    """A committed SQLite database in its own file, whatever TEST_DATABASE_URL says."""
    return app_for(f"sqlite:///{tmp_path / 'source.sqlite3'}")

