import pytest

from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def _fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _csp_violations(page) -> list[str]:
    """Collect console messages about the Content-Security-Policy (inline script or style would show here)."""
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    return messages


def test_login_home_logout_on_a_phone(live_server, live_user, phone_page):
    user = live_user("officer", name="Óscar Oficial")
    violations = _csp_violations(phone_page)
    phone_page.goto(f"{live_server}/login")
    assert _fits_the_phone(phone_page)
    browser_login(phone_page, live_server, user)
    assert phone_page.get_by_role("heading", name="Hola, Óscar Oficial").is_visible()
    assert _fits_the_phone(phone_page)
    phone_page.get_by_role("button", name="Abrir menú").click()
    phone_page.locator("#main-nav.show").wait_for()  # the menu has finished opening
    phone_page.locator("#user-nav.show").wait_for()
    phone_page.get_by_role("button", name="Óscar Oficial").click()  # the user menu holds "Cerrar sesión"
    with phone_page.expect_navigation():
        phone_page.get_by_role("button", name="Cerrar sesión").click()
    phone_page.wait_for_url(f"{live_server}/login")
    assert phone_page.get_by_role("heading", name="Iniciar sesión").is_visible()
    phone_page.goto(f"{live_server}/")
    assert "/login" in phone_page.url
    assert violations == []


def test_english_from_the_footer_then_admin_pages_on_a_phone(live_server, live_user, phone_page):
    user = live_user("admin", name="Ana Admin")
    violations = _csp_violations(phone_page)
    phone_page.goto(f"{live_server}/login")
    phone_page.get_by_role("button", name="English").click()
    assert phone_page.get_by_role("heading", name="Log in").is_visible()
    phone_page.fill("input[name=email]", user["email"])
    phone_page.fill("input[name=password]", user["password"])
    phone_page.get_by_role("button", name="Log in").click()
    phone_page.wait_for_url(f"{live_server}/")
    # The language picked before logging in becomes the user's preference.
    assert phone_page.get_by_role("heading", name="Hello, Ana Admin").is_visible()
    for path, heading in (("/admin/users", "Users"), ("/admin/audit", "Audit trail"), ("/account", "My account")):
        phone_page.goto(live_server + path)
        assert phone_page.get_by_role("heading", name=heading).is_visible()
        assert _fits_the_phone(phone_page), path
    assert violations == []


def test_a_wrong_password_keeps_the_email_on_a_phone(live_server, live_user, phone_page):
    user = live_user("officer")
    phone_page.goto(f"{live_server}/login")
    phone_page.fill("input[name=email]", user["email"])
    phone_page.fill("input[name=password]", "no es la contraseña")
    phone_page.click("button[type=submit]")
    assert phone_page.get_by_text("Correo o contraseña incorrectos.").is_visible()
    assert phone_page.input_value("input[name=email]") == user["email"]
