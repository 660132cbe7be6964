import pytest

from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def test_login_home_logout_on_a_phone(live_server, live_user, phone_page):
    user = live_user("officer", name="Óscar Oficial")
    browser_login(phone_page, live_server, user)
    assert phone_page.get_by_role("heading", name="Hola, Óscar Oficial").is_visible()
    phone_page.get_by_role("button", name="Abrir menú").click()
    phone_page.get_by_role("button", name="Cerrar sesión").click()
    phone_page.wait_for_url(f"{live_server}/login")
    assert phone_page.get_by_role("heading", name="Iniciar sesión").is_visible()
    phone_page.goto(f"{live_server}/")
    assert "/login" in phone_page.url
