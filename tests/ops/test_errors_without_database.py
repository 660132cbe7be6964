"""Errors stay visible during a database outage: the 500 page renders, the access log has its line,
/healthz says why it answers 503, and a misspelt PostgreSQL URL gets the fix."""

import pytest

from config import ConfigError, config_from_env
from tests.conftest import make_app
from tests.ops.test_logging import capture_logs


def _broken_sqlite_app(tmp_path):
    folder = tmp_path / "db.sqlite3"
    folder.mkdir()  # a directory where the database file should be: every query fails
    return make_app(f"sqlite:///{folder}", PROPAGATE_EXCEPTIONS=False)


def test_a_500_during_an_outage_renders_a_page_and_is_logged(isolated_app, tmp_path):
    broken = _broken_sqlite_app(tmp_path)
    client = broken.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:1"  # a signed-in visitor: loading the user needs the database
        session["_fresh"] = True
    with capture_logs() as read:
        response = client.get("/", headers={"X-Request-ID": "outage0001"})
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Error del servidor" in page and "<html" in page
    lines = read()
    access = [line for line in lines if line["logger"] == "crm.access"]
    assert [(line["status"], line["path"], line["request_id"]) for line in access] == [(500, "/", "outage0001")]
    assert any(line["logger"] == "crm.errors" and line["level"] == "ERROR" for line in lines)


def test_healthz_logs_why_it_answers_503(isolated_app, tmp_path):
    broken = make_app("postgresql+psycopg://cabildeo@127.0.0.1:1/cabildeo")
    with capture_logs() as read:
        assert broken.test_client().get("/healthz").status_code == 503
    [line] = [line for line in read() if line["logger"] == "crm.health"]
    assert line["level"] == "WARNING" and "Connection refused" in line["message"]


@pytest.mark.parametrize("url", ["postgres://u:p@db/cabildeo", "postgresql://u:p@db/cabildeo"])
def test_a_postgres_url_without_the_psycopg_driver_gets_the_fix(url, tmp_path):
    with pytest.raises(ConfigError, match=r"use postgresql\+psycopg://"):
        config_from_env({"DATABASE_URL": url, "CRM_INSTANCE_DIR": str(tmp_path)})
