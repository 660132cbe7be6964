"""The `next` parameter accepts local paths only: every payload below must land on this host."""

from urllib.parse import urljoin, urlsplit

import pytest

from crm.accounts.safe_next import safe_next

PAYLOADS = [
    "//evil.com",
    "//evil.com/",
    "///evil.com",
    "////evil.com",
    "/\\evil.com",
    "\\\\evil.com",
    "\\/evil.com",
    "/\\/evil.com",
    "https://evil.com",
    "http://evil.com/path",
    "HTTPS://EVIL.COM",
    "http:/evil.com",
    "http:evil.com",
    "https:\\\\evil.com",
    "//evil.com@localhost",
    "/%2F%2Fevil.com?",
    "/%5Cevil.com",
    "/%09/evil.com",
    "/\tevil",
    "/\t/evil.com",
    "/\n/evil.com",
    "/\r\n//evil.com",
    " //evil.com",
    "\x00//evil.com",
    "javascript:alert(1)",
    "JavaScript:alert(document.domain)",
    "data:text/html,<script>alert(1)</script>",
    "//evil%E3%80%82com",
    "//google.com%2F@evil.com",
    "ftp://evil.com",
    "evil.com",
    "@evil.com",
    "/" + "a" * 3000,
]


def _lands_on_this_host(location: str) -> bool:
    """Resolve the Location header the way a browser would, treating a backslash as a slash."""
    resolved = urljoin("http://localhost/login", location.replace("\\", "/"))
    parts = urlsplit(resolved)
    return parts.scheme == "http" and parts.netloc == "localhost"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_safe_next_refuses_foreign_targets(payload):
    target = safe_next(payload, "/")
    assert _lands_on_this_host(target)
    assert not target.startswith("//") and "\\" not in target
    assert all(ord(c) >= 32 for c in target)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_login_redirect_stays_on_host(client, make_user, payload):
    user = make_user("officer")
    response = client.post("/login", data={"email": user.email, "password": "una frase bastante larga", "next": payload})
    if "\x00" in payload:  # no form may carry a NUL character: refused before the login runs
        assert response.status_code == 400
        return
    assert response.status_code == 302
    assert _lands_on_this_host(response.location), response.location


@pytest.mark.parametrize("payload", PAYLOADS[:12])
def test_already_signed_in_redirect_stays_on_host(login_as, make_user, payload):
    client = login_as(make_user("officer"))
    response = client.get("/login", query_string={"next": payload})
    assert response.status_code == 302
    assert _lands_on_this_host(response.location), response.location


@pytest.mark.parametrize("payload", PAYLOADS[:12])
def test_language_switch_redirect_stays_on_host(client, payload):
    response = client.post("/language/en", data={"next": payload})
    assert response.status_code == 302
    assert _lands_on_this_host(response.location), response.location


@pytest.mark.parametrize("target", ["/account", "/admin/users?role=viewer&page=2", "/account#top"])
def test_local_paths_are_kept(client, make_user, target):
    user = make_user("admin")
    response = client.post("/login", data={"email": user.email, "password": "una frase bastante larga", "next": target})
    assert response.location == target


def test_login_page_carries_next_from_the_login_required_redirect(client):
    response = client.get("/account")
    assert response.status_code == 302
    login_page = client.get(response.location).get_data(as_text=True)
    assert 'name="next"' in login_page and 'value="/account"' in login_page
