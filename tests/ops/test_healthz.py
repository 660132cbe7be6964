"""The health check the reverse proxy and the process supervisor poll."""

from tests.conftest import make_app


def test_healthz_is_public_and_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_returns_503_when_the_database_is_unreachable(isolated_app):
    # Nothing listens on port 1: every connection attempt is refused at once.
    broken = make_app("postgresql+psycopg://cabildeo@127.0.0.1:1/cabildeo")
    client = broken.test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unreachable"}
    # No connection details or stack trace leak into the answer.
    assert "127.0.0.1" not in response.get_data(as_text=True)


def test_healthz_returns_503_when_the_sqlite_file_cannot_be_opened(isolated_app, tmp_path):
    folder = tmp_path / "db.sqlite3"
    folder.mkdir()  # a directory where the database file should be: SQLite cannot open it
    broken = make_app(f"sqlite:///{folder}")
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
