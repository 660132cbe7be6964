from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.extensions import db
from tests.conftest import login


def test_login_page_is_spanish_by_default(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "Iniciar sesión" in response.get_data(as_text=True)


def test_login_and_home(client, make_user):
    user = make_user("officer", password="una frase bastante larga")
    response = client.post("/login", data={"email": user.email, "password": "una frase bastante larga"})
    assert response.status_code == 302
    page = client.get("/")
    assert f"Hola, {user.name}" in page.get_data(as_text=True)
    actions = db.session.execute(select(AuditEntry.action).where(AuditEntry.actor_id == user.id)).scalars().all()
    assert "auth.login" in actions


def test_logged_in_helper(client, make_user):
    user = make_user("director")
    login(client, user)
    assert client.get("/").status_code == 200
