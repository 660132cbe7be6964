"""Configuration comes from the environment, with safe defaults; production refuses unsafe ones."""

import logging
from pathlib import Path

import pytest
from sqlalchemy import text

import config
from config import BASE_DIR, ConfigError, DevelopmentConfig, ProductionConfig, TestingConfig, config_from_env
from crm import create_app
from crm.extensions import db
from tests.foundation.conftest import dispose

PRODUCTION = {"CRM_ENV": "production", "SECRET_KEY": "s" * 40, "TRUSTED_HOSTS": "crm.example.org, www.example.org",
              "DATABASE_URL": "postgresql+psycopg://crm@127.0.0.1:9/cabildeo"}


def test_database_defaults_to_a_sqlite_file_under_instance(tmp_path):
    settings = config_from_env({"CRM_INSTANCE_DIR": str(tmp_path)})
    assert settings.SQLALCHEMY_DATABASE_URI == f"sqlite:///{tmp_path / 'cabildeo.sqlite3'}"
    default = DevelopmentConfig({})
    assert default.SQLALCHEMY_DATABASE_URI == f"sqlite:///{BASE_DIR / 'instance' / 'cabildeo.sqlite3'}"


def test_database_url_from_the_environment_is_used(tmp_path):
    url = "postgresql+psycopg://crm:secret@db.internal:5432/cabildeo"
    settings = config_from_env({"DATABASE_URL": url, "CRM_INSTANCE_DIR": str(tmp_path)})
    assert settings.SQLALCHEMY_DATABASE_URI == url


def test_a_postgresql_psycopg_url_builds_an_app_without_touching_the_server(tmp_path):
    # Nothing listens on this port: create_app must not query the database at start-up.
    application = create_app(TestingConfig(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://crm@127.0.0.1:9/none"))
    with application.app_context():
        assert db.engine.dialect.name == "postgresql"
        assert db.engine.dialect.driver == "psycopg"
    dispose(application)


def test_the_suite_database_answers(app):
    # On CI this runs once on SQLite and once on PostgreSQL through postgresql+psycopg://.
    with app.app_context():
        assert db.session.execute(text("SELECT 1")).scalar_one() == 1
        assert db.engine.dialect.name in {"sqlite", "postgresql"}
        if db.engine.dialect.name == "postgresql":
            assert db.engine.dialect.driver == "psycopg"


def test_smtp_settings_come_from_the_environment(tmp_path):
    settings = config_from_env(
        {
            "CRM_INSTANCE_DIR": str(tmp_path),
            "SMTP_HOST": "smtp.example.org",
            "SMTP_PORT": "2525",
            "SMTP_USERNAME": "crm",
            "SMTP_PASSWORD": "pw",
            "SMTP_STARTTLS": "false",
            "MAIL_FROM": "CRM <crm@example.org>",
        }
    )
    assert (settings.SMTP_HOST, settings.SMTP_PORT, settings.SMTP_USERNAME, settings.SMTP_PASSWORD) == (
        "smtp.example.org",
        2525,
        "crm",
        "pw",
    )
    assert settings.SMTP_STARTTLS is False
    assert settings.MAIL_FROM == "CRM <crm@example.org>"
    assert settings.MAIL_FILE_DIR == str(tmp_path / "mail")


def test_a_number_that_is_not_a_number_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="SMTP_PORT"):
        config_from_env({"CRM_INSTANCE_DIR": str(tmp_path), "SMTP_PORT": "lots"})


def test_production_refuses_to_start_without_a_secret_key():
    environ = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        config_from_env(environ)


def test_production_refuses_to_start_without_trusted_hosts():
    environ = {k: v for k, v in PRODUCTION.items() if k != "TRUSTED_HOSTS"}
    with pytest.raises(ConfigError, match="TRUSTED_HOSTS"):
        config_from_env(environ)


def test_production_refuses_through_create_app_too(monkeypatch):
    for name in ("SECRET_KEY", "TRUSTED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CRM_ENV", "production")
    with pytest.raises(ConfigError):
        create_app()


def test_production_with_both_is_secure_by_default():
    settings = config_from_env(PRODUCTION)
    assert isinstance(settings, ProductionConfig)
    assert settings.TRUSTED_HOSTS == ["crm.example.org", "www.example.org"]
    assert settings.SESSION_COOKIE_SECURE and settings.REMEMBER_COOKIE_SECURE and settings.HSTS


def test_unknown_crm_environment_name_is_refused():
    with pytest.raises(ConfigError, match="CRM_ENV"):
        config_from_env({"CRM_ENV": "staging"})


def test_development_never_uses_a_published_secret(tmp_path):
    first = config_from_env({"CRM_INSTANCE_DIR": str(tmp_path)})
    again = config_from_env({"CRM_INSTANCE_DIR": str(tmp_path)})
    other = config_from_env({"CRM_INSTANCE_DIR": str(tmp_path / "other")})
    assert len(first.SECRET_KEY) >= 32
    assert first.SECRET_KEY == again.SECRET_KEY, "sessions survive a restart"
    assert first.SECRET_KEY != other.SECRET_KEY
    assert (Path(tmp_path) / "secret_key").stat().st_mode & 0o077 == 0


def test_unknown_crm_variable_logs_a_warning(monkeypatch, caplog):
    monkeypatch.setenv("CRM_DEFAULT_TIMEZON", "Europe/Madrid")
    with caplog.at_level(logging.WARNING, logger="config"):
        application = create_app(TestingConfig())
    dispose(application)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "config"]
    assert any("CRM_DEFAULT_TIMEZON" in r.getMessage() for r in warnings)
    assert not any("CRM_ENV" in r.getMessage() for r in warnings)


def test_known_crm_variables_log_nothing(caplog):
    with caplog.at_level(logging.WARNING, logger="config"):
        assert config.warn_unknown_variables({"CRM_ENV": "production", "CRM_BASE_URL": "x", "HOME": "/"}) == []
    assert not caplog.records


def test_sqlite_connections_get_foreign_keys_wal_and_busy_timeout(tmp_path):
    application = create_app(TestingConfig(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'pragmas.sqlite3'}"))
    with application.app_context():
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == application.config["SQLITE_BUSY_TIMEOUT_MS"]
            assert application.config["SQLITE_BUSY_TIMEOUT_MS"] >= 1000
    dispose(application)


def test_sqlite_foreign_keys_are_enforced(tmp_path):
    from sqlalchemy.exc import IntegrityError

    from crm.audit.models import AuditEntry
    from crm.core.time import utcnow

    application = create_app(TestingConfig(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'fk.sqlite3'}"))
    with application.app_context():
        db.create_all()
        db.session.add(AuditEntry(created_at=utcnow(), action="x", actor_id=424242))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        db.session.remove()
    dispose(application)
