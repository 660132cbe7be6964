"""Security baseline: CSRF, cookie flags, headers, throttling, session invalidation, error pages."""


import pytest
from flask import abort

from crm.core.time import utcnow
from crm.extensions import db
from tests.foundation.conftest import committed_user

PASSWORD = "una frase bastante larga"
NEW_PASSWORD = "otra frase todavía más larga"


def _login(client, email, password=PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def _cookie(response, name) -> str:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return header
    raise AssertionError(f"no {name} cookie in {response.headers.getlist('Set-Cookie')}")


# --- CSRF ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/login", {"email": "x@example.org", "password": PASSWORD}),
        ("/language/en", {}),
        ("/password/forgot", {"email": "x@example.org"}),
    ],
)
def test_anonymous_post_without_csrf_token_fails(raw_client, path, data):
    response = raw_client.post(path, data=data)
    assert response.status_code == 400
    assert "El formulario caducó o no es válido." in response.get_data(as_text=True)


def test_signed_in_post_without_csrf_token_changes_nothing(raw_client, make_user):
    admin = make_user("admin")
    officer = make_user("officer")
    with raw_client.session_transaction() as session:
        session["_user_id"] = admin.get_id()
    response = raw_client.post(f"/admin/users/{officer.id}", data={"role": "admin", "active": "y", "partner_organisation_id": "0"})
    assert response.status_code == 400
    db.session.refresh(officer)
    assert officer.role == "officer"
    assert raw_client.post("/logout").status_code == 400
    assert raw_client.get("/").status_code == 200, "a forged logout does not sign the user out"


def test_a_wrong_csrf_token_fails_too(raw_client, make_user):
    user = make_user("officer")
    response = raw_client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": "forged"})
    assert response.status_code == 400


# --- Cookies ------------------------------------------------------------------------------------


def test_cookies_are_httponly_and_samesite_lax_in_development(client, make_user):
    user = make_user("officer")
    response = _login(client, user.email, remember="y")
    for name in ("session", "remember_token"):
        cookie = _cookie(response, name)
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert "Secure" not in cookie, "plain http on a laptop must still work"


def test_cookies_are_secure_in_production(production_app):
    user = committed_user(production_app, "officer")
    client = production_app.test_client()
    # Over HTTPS the CSRF check also wants a same-origin Referer, which browsers send.
    headers = {"Referer": "https://localhost/login"}
    response = client.post(
        "/login", data={"email": user["email"], "password": PASSWORD, "remember": "y"}, base_url="https://localhost", headers=headers
    )
    assert response.status_code == 302
    for name in ("session", "remember_token"):
        cookie = _cookie(response, name)
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
    switch = client.post("/language/en", base_url="https://localhost", headers=headers)
    assert "Secure" in _cookie(switch, "lang")


def test_production_answers_only_trusted_hosts(production_app):
    client = production_app.test_client()
    assert client.get("/login", base_url="https://localhost").status_code == 200
    assert client.get("/login", base_url="https://evil.example").status_code == 400
    forged = client.post("/login", data={"email": "x@example.org"}, base_url="https://localhost", headers={"Referer": "https://evil.example/"})
    assert forged.status_code == 400, "a cross-site Referer fails the CSRF check over HTTPS"


# --- Headers ------------------------------------------------------------------------------------


def _assert_baseline_headers(response):
    csp = response.headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin", "no-referrer"}
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/login", "/healthz", "/static/css/app.css", "/no-such-page"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    response.close()
    _assert_baseline_headers(response)
    assert "Strict-Transport-Security" not in response.headers, "no HSTS in development"


def test_hsts_outside_development(production_app):
    response = production_app.test_client().get("/login", base_url="https://localhost")
    _assert_baseline_headers(response)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert int(response.headers["Strict-Transport-Security"].split("=")[1].split(";")[0]) >= 15552000


@pytest.mark.parametrize("path", ["/", "/account", "/account/password"])
def test_authenticated_pages_are_not_cached(login_as, make_user, path):
    client = login_as(make_user("officer"))
    response = client.get(path)
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", ["/admin/users", "/admin/audit"])
def test_admin_pages_are_not_cached(login_as, make_user, path):
    response = login_as(make_user("admin")).get(path)
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_templates_hold_no_inline_script_or_style():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    inline_style = re.compile(r"\sstyle\s*=|<style[\s>]", re.I)
    handler = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
    offenders = []
    for path in root.rglob("*.html"):
        if "/email/" in path.as_posix():
            continue  # email bodies are not served under the CSP
        text = path.read_text(encoding="utf-8")
        for pattern in (inline_script, inline_style, handler):
            if pattern.search(text):
                offenders.append(f"{path.relative_to(root)}: {pattern.search(text).group(0)}")
    assert offenders == []


# --- Roles --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/admin/users", "/admin/users/invite", "/admin/audit", "/admin/audit/"])
@pytest.mark.parametrize("role", ["officer", "viewer"])
def test_officers_and_viewers_get_403_on_admin_pages(login_as, make_user, role, path):
    user = make_user(role)
    response = login_as(user).get(path)
    assert response.status_code == 403
    assert "Acceso denegado" in response.get_data(as_text=True)


def test_directors_browse_the_audit_but_not_users(login_as, make_user):
    client = login_as(make_user("director"))
    assert client.get("/admin/audit").status_code == 200
    assert client.get("/admin/users").status_code == 403


def test_an_officer_cannot_edit_a_user_by_post(login_as, make_user):
    officer = make_user("officer")
    response = login_as(officer).post(f"/admin/users/{officer.id}", data={"role": "admin", "active": "y", "partner_organisation_id": "0"})
    assert response.status_code == 403
    db.session.refresh(officer)
    assert officer.role == "officer"


def test_anonymous_users_are_sent_to_login(client):
    for path in ("/", "/admin/users", "/admin/audit", "/account"):
        response = client.get(path)
        assert response.status_code == 302 and response.location.startswith("/login?next=")


# --- Throttling ---------------------------------------------------------------------------------


def test_a_success_resets_the_failure_count(client, make_user):
    user = make_user("officer")
    for _ in range(5):
        _login(client, user.email, "una contraseña equivocada")
    assert _login(client, user.email).status_code == 302
    client.post("/logout")
    for _ in range(5):
        assert _login(client, user.email, "una contraseña equivocada").status_code == 401
    assert _login(client, user.email).status_code == 302, "the count started again from zero"


# --- Session invalidation -----------------------------------------------------------------------


def _remember_cookie(response) -> str:
    return _cookie(response, "remember_token").split(";", 1)[0].split("=", 1)[1]


def _client_with_only_the_remember_cookie(app, value):
    client = app.test_client()
    client.set_cookie("remember_token", value)
    return client


def test_logout_ends_every_session_and_remember_cookie(app, make_user):
    user = make_user("officer")
    phone, laptop = app.test_client(), app.test_client()
    remember = _remember_cookie(_login(phone, user.email, remember="y"))
    _login(laptop, user.email)
    assert _client_with_only_the_remember_cookie(app, remember).get("/").status_code == 200, "the cookie works before"

    assert laptop.post("/logout").status_code == 302
    assert phone.get("/").status_code == 302, "the other device is signed out"
    assert _client_with_only_the_remember_cookie(app, remember).get("/").status_code == 302, "the remember cookie is dead"
    assert laptop.get("/").status_code == 302


def test_password_change_ends_other_sessions_and_remember_cookies(app, make_user):
    user = make_user("officer")
    phone, laptop = app.test_client(), app.test_client()
    remember = _remember_cookie(_login(phone, user.email, remember="y"))
    _login(laptop, user.email)

    response = laptop.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200, "the device that changed it stays signed in"
    assert phone.get("/").status_code == 302
    assert _client_with_only_the_remember_cookie(app, remember).get("/").status_code == 302


def test_a_password_reset_by_link_ends_existing_sessions(app, make_user):
    from crm.accounts.tokens import make_token

    user = make_user("officer")
    phone = app.test_client()
    remember = _remember_cookie(_login(phone, user.email, remember="y"))
    token = make_token(user, "reset")
    stranger = app.test_client()
    assert stranger.post(f"/password/reset/{token}", data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert phone.get("/").status_code == 302
    assert _client_with_only_the_remember_cookie(app, remember).get("/").status_code == 302


# --- Error pages --------------------------------------------------------------------------------


@pytest.fixture
def failing_app(isolated_app):
    """A separate app instance with routes that fail on purpose; exceptions are not re-raised."""
    isolated_app.config["PROPAGATE_EXCEPTIONS"] = False

    @isolated_app.route("/test-only/boom")
    def boom():
        raise RuntimeError("secret-internal-detail in /srv/app/crm/views.py line 42")

    @isolated_app.route("/test-only/slow-down")
    def slow_down():
        abort(429)

    return isolated_app


def _assert_clean_error_page(response, code, title):
    body = response.get_data(as_text=True)
    assert response.status_code == code
    assert title in body
    for leak in ("Traceback", "File \"", "RuntimeError", "secret-internal-detail", "werkzeug", "sqlalchemy"):
        assert leak not in body, leak
    _assert_baseline_headers(response)


def test_500_page_shows_no_stack_trace(failing_app, caplog):
    response = failing_app.test_client().get("/test-only/boom")
    _assert_clean_error_page(response, 500, "Error del servidor")


def test_429_page(failing_app):
    _assert_clean_error_page(failing_app.test_client().get("/test-only/slow-down"), 429, "Demasiados intentos")


def test_404_page(client):
    _assert_clean_error_page(client.get("/no/such/page"), 404, "Página no encontrada")


def test_403_page(login_as, make_user):
    _assert_clean_error_page(login_as(make_user("officer")).get("/admin/users"), 403, "Acceso denegado")


def test_400_page(raw_client):
    _assert_clean_error_page(raw_client.post("/login", data={}), 400, "Solicitud incorrecta")


def test_htmx_requests_get_a_fragment(client):
    response = client.get("/no/such/page", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 404 and "<html" not in body and "Página no encontrada" in body


def _max_age(cookie: str) -> int:
    """Seconds from now until the cookie's Expires date."""
    from email.utils import parsedate_to_datetime

    expires = [part for part in cookie.split("; ") if part.startswith("Expires=")]
    assert expires, cookie
    return round((parsedate_to_datetime(expires[0].split("=", 1)[1]) - utcnow()).total_seconds())


def test_sessions_expire_after_12_hours(app, client, make_user):
    user = make_user("officer")
    session_cookie = _cookie(_login(client, user.email), "session")
    assert abs(_max_age(session_cookie) - 12 * 3600) < 60


def test_a_session_rebuilt_from_the_remember_cookie_expires_too(app, make_user):
    user = make_user("officer")
    remember = _remember_cookie(_login(app.test_client(), user.email, remember="y"))
    fresh = _client_with_only_the_remember_cookie(app, remember)
    response = fresh.get("/")
    assert response.status_code == 200
    assert abs(_max_age(_cookie(response, "session")) - 12 * 3600) < 60
    assert 13 * 86400 < _max_age(_cookie(_login(app.test_client(), user.email, remember="y"), "remember_token")) <= 14 * 86400
