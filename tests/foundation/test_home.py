"""Home page and navigation per role, decoupled from the other domains; /healthz."""

import pytest
from sqlalchemy.exc import OperationalError

from crm.extensions import db
from tests.conftest import CSRFClient, login, make_app
from tests.foundation.conftest import dispose


def _nav(page: str) -> str:
    return page.split("<nav", 1)[1].split("</nav>", 1)[0]


def test_admin_sees_administration_in_nav_and_home(login_as, make_user):
    page = login_as(make_user("admin")).get("/").get_data(as_text=True)
    nav = _nav(page)
    assert "/admin/users" in nav and "/admin/audit" in nav
    assert "Invitar, cambiar roles y desactivar cuentas." in page


def test_director_sees_audit_but_not_users(login_as, make_user):
    page = login_as(make_user("director")).get("/").get_data(as_text=True)
    assert "/admin/audit" in _nav(page) and "/admin/users" not in page


@pytest.mark.parametrize("role", ["officer", "viewer"])
def test_officers_and_viewers_see_no_administration(login_as, make_user, role):
    page = login_as(make_user(role)).get("/").get_data(as_text=True)
    assert "/admin/" not in page
    assert "Administración" not in page


def test_viewer_is_told_the_account_is_read_only(login_as, make_user):
    page = login_as(make_user("viewer")).get("/").get_data(as_text=True)
    assert "sin hacer cambios" in page


def test_cards_and_nav_entries_exist_only_for_pages_that_exist(login_as, make_user, app):
    page = login_as(make_user("admin")).get("/").get_data(as_text=True)
    hrefs = [chunk.split('"', 1)[0] for chunk in page.split('href="')[1:]]
    adapter = app.url_map.bind("localhost")
    for href in hrefs:
        if href.startswith("/") and not href.startswith("/static/"):
            adapter.match(href.split("?")[0].split("#")[0], method="GET")  # raises NotFound for a dead link


def test_home_works_with_no_other_domain(tmp_path, database_url):
    """Remove every endpoint of the other domains: the home page and nav still render."""
    application = make_app(database_url)
    application.test_client_class = CSRFClient
    own = ("home.", "accounts.", "audit.", "static")
    for endpoint in list(application.view_functions):
        if not endpoint.startswith(own):
            del application.view_functions[endpoint]
    from crm.accounts import operations

    user = operations.create_user(email="solo@example.org", name="Sola", role="admin", password="una frase bastante larga")
    db.session.commit()
    client = application.test_client()
    with application.app_context():
        login(client, user)
        response = client.get("/")
        page = response.get_data(as_text=True)
    dispose(application)
    assert response.status_code == 200
    assert "Hola, Sola" in page and "/admin/users" in page
    assert "Conteo de votos" not in page and "Legisladores" not in page


def test_security_summary_for_admins(client, login_as, make_user):
    target = make_user("officer")
    client.post("/login", data={"email": target.email, "password": "equivocada y larga"})
    page = login_as(make_user("admin")).get("/").get_data(as_text=True)
    assert "Inicios de sesión fallidos en 24 horas: 1" in page


def test_home_shows_the_account_settings(login_as, make_user):
    page = login_as(make_user("officer", timezone="Europe/Madrid")).get("/").get_data(as_text=True)
    assert "Europe/Madrid" in page and "Oficial de incidencia" in page


def test_home_costs_few_statements(login_as, make_user, count_queries):
    client = login_as(make_user("admin"))
    client.get("/")
    with count_queries() as s:
        assert client.get("/").status_code == 200
    # The user, the figures (campaigns, team backlog, meetings, petitions; the stage counts and going cold need
    # a campaign) and the two security numbers; tests/home pins the counts with campaigns.
    assert len(s) == 7


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
    assert "connection refused" not in response.get_data(as_text=True)


def test_healthz_on_a_server_that_is_down(isolated_app):
    # isolated_app only turns off the suite's shared session, so this app really talks to its own (dead) server.
    application = make_app("postgresql+psycopg://crm@127.0.0.1:9/none?connect_timeout=2")
    with application.app_context():
        response = application.test_client().get("/healthz")
    dispose(application)
    assert response.status_code == 503
