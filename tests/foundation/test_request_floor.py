"""The fixed cost of a signed-in request: one indexed query for the user, a session cookie re-signed once a minute."""

import re
import time

import pytest
from flask_login import current_user

PASSWORD = "una frase bastante larga"
TWELVE_HOURS = 12 * 3600


def _session_cookies(response) -> list[str]:
    return [header for header in response.headers.getlist("Set-Cookie") if header.startswith("session=")]


@pytest.fixture
def clock(monkeypatch):
    """Move the wall clock that signs and checks session cookies forward by some seconds."""
    real = time.time
    shift = {"seconds": 0}
    monkeypatch.setattr(time, "time", lambda: real() + shift["seconds"])

    def advance(seconds):
        shift["seconds"] += seconds

    return advance


def test_a_signed_in_request_costs_one_indexed_query_before_its_view(app, client, make_user, count_queries,
                                                                     monkeypatch):
    user = make_user("officer")
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    seen = {}

    def bare_view():
        # What every signed-in page has by the time its view starts: the user, with name and language.
        seen["user"] = (current_user.is_authenticated, current_user.name, current_user.language)
        return "ok"

    monkeypatch.setitem(app.view_functions, "accounts.change_password", bare_view)
    with count_queries() as sql:
        response = client.get("/account/password")
    assert response.status_code == 200
    assert seen["user"] == (True, user.name, user.language)
    assert len(sql) == 1, sql
    statement = " ".join(sql[0].split())
    # By primary key (SQLite writes the parameter as ?, psycopg as %(pk_1)s::INTEGER).
    assert re.fullmatch(r"SELECT users\.id, .* FROM users WHERE users\.id = (\?|%\(pk_1\)s::INTEGER)", statement), statement


def test_the_session_cookie_is_re_signed_once_a_minute_not_on_every_request(client, make_user, clock):
    user = make_user("officer")
    assert _session_cookies(client.post("/login", data={"email": user.email, "password": PASSWORD}))

    clock(30)
    quiet = client.get("/tasks")
    assert quiet.status_code == 200
    assert _session_cookies(quiet) == []

    clock(31)  # a minute after the login signed the cookie
    refreshed = client.get("/tasks")
    assert refreshed.status_code == 200
    assert len(_session_cookies(refreshed)) == 1
    assert client.get("/tasks").headers.getlist("Set-Cookie") == []


def test_the_idle_timeout_still_ends_a_session(client, make_user, clock):
    user = make_user("officer")
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    clock(TWELVE_HOURS - 120)
    assert client.get("/tasks").status_code == 200  # re-signed: the twelve hours start again
    clock(TWELVE_HOURS - 120)
    assert client.get("/tasks").status_code == 200
    clock(TWELVE_HOURS + 1)
    response = client.get("/tasks")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_changed_session_is_signed_at_once(client, make_user, clock):
    user = make_user("officer")
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    clock(5)
    response = client.post("/logout")
    assert response.status_code == 302
    assert _session_cookies(response)
    assert client.get("/tasks").status_code == 302
