"""`flask crm setup` (what `make run` calls) works on an empty database and again on the data it made."""

from sqlalchemy import func, select

from crm.accounts.models import User
from crm.demo import DEMO_PASSWORD, DEMO_USERS
from crm.extensions import db
from tests.conftest import make_app
from tests.foundation.conftest import AppContextClient, dispose


def test_setup_twice_then_log_in_with_the_printed_credentials(isolated_app, fresh_database_url, tmp_path):
    # isolated_app only switches off the suite's shared session; this test uses its own fresh database.
    application = make_app(fresh_database_url, MAIL_FILE_DIR=str(tmp_path / "mail"))
    application.test_client_class = AppContextClient
    try:
        first = application.test_cli_runner().invoke(args=["crm", "setup"])
        assert first.exit_code == 0, first.output
        assert "Loading demo data" in first.output
        assert f"password for all: {DEMO_PASSWORD}" in first.output
        for email, _name, _role in DEMO_USERS:
            assert email in first.output

        with application.app_context():
            users = db.session.execute(select(func.count(User.id))).scalar_one()
        second = application.test_cli_runner().invoke(args=["crm", "setup"])
        assert second.exit_code == 0, second.output
        assert "Loading demo data" not in second.output
        assert DEMO_USERS[0][0] in second.output
        with application.app_context():
            assert db.session.execute(select(func.count(User.id))).scalar_one() == users

        client = application.test_client()
        response = client.post("/login", data={"email": DEMO_USERS[0][0], "password": DEMO_PASSWORD})
        assert response.status_code == 302
        assert client.get("/").status_code == 200
    finally:
        dispose(application)


def test_setup_without_demo_leaves_an_empty_database(isolated_app, fresh_database_url, tmp_path):
    application = make_app(fresh_database_url, MAIL_FILE_DIR=str(tmp_path / "mail"))
    try:
        result = application.test_cli_runner().invoke(args=["crm", "setup", "--no-demo"])
        assert result.exit_code == 0, result.output
        with application.app_context():
            assert db.session.execute(select(func.count(User.id))).scalar_one() == 0
    finally:
        dispose(application)
