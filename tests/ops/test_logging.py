"""One JSON access line per request, with the request id, and nothing secret in it."""

import io
import json
import logging
from contextlib import contextmanager

import pytest

from crm.core.logging import JsonFormatter, RequestContextFilter
from tests.conftest import login


@contextmanager
def capture_logs():
    """JSON lines the app writes to the crm loggers (crm.access among them) inside the block."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("crm")
    logger.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)


@pytest.fixture
def access_lines():
    with capture_logs() as read:
        yield read


def test_each_request_has_one_access_line_with_its_request_id(client, make_user, access_lines):
    user = make_user("officer")
    login(client, user)
    response = client.get("/", headers={"X-Request-ID": "abcdef0123456789"})
    assert response.headers["X-Request-ID"] == "abcdef0123456789"
    [line] = [entry for entry in access_lines() if entry["logger"] == "crm.access"]
    assert line["request_id"] == "abcdef0123456789"
    assert (line["method"], line["path"], line["status"], line["user_id"]) == ("GET", "/", 200, user.id)
    assert isinstance(line["duration_ms"], float)


def test_request_ids_are_generated_and_unique(client, access_lines):
    first = client.get("/login").headers["X-Request-ID"]
    second = client.get("/login").headers["X-Request-ID"]
    assert first != second
    assert [e["request_id"] for e in access_lines() if e["logger"] == "crm.access"] == [first, second]


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/invite/ImFiY2RlZiI.Zx9Y.s3cr3t-invite-token", "/invite/[redacted]"),
        ("/password/reset/ImFiY2RlZiI.Zx9Y.s3cr3t-reset-token", "/password/reset/[redacted]"),
        ("/calendar/s3cr3t-feed-token.ics", "/calendar/[redacted].ics"),
    ],
)
def test_secret_path_segments_are_redacted(client, access_lines, path, logged):
    client.get(path)
    entries = access_lines()
    assert [e["path"] for e in entries if e["logger"] == "crm.access"] == [logged]
    assert "s3cr3t" not in json.dumps(entries)


def test_query_strings_passwords_and_form_fields_never_reach_the_log(client, make_user, access_lines):
    user = make_user("officer", password="una frase bastante larga")
    client.get("/login?next=/tasks&token=s3cr3t-query-token")
    client.post("/login", data={"email": user.email, "password": "una frase bastante larga"})
    client.post("/login", data={"email": user.email, "password": "contraseña equivocada s3cr3t"})
    text = json.dumps(access_lines(), ensure_ascii=False)
    assert "/login" in text
    for secret in ("s3cr3t", "una frase bastante larga", "equivocada", user.email, "next="):
        assert secret not in text


def test_failed_requests_are_logged_with_their_status(client, access_lines):
    client.get("/no-such-page")
    [line] = [e for e in access_lines() if e["logger"] == "crm.access"]
    assert (line["status"], line["path"], line.get("user_id")) == (404, "/no-such-page", None)


def test_an_error_on_a_secret_path_is_logged_without_the_secret():
    from tests.conftest import make_app

    failing = make_app("sqlite://", PROPAGATE_EXCEPTIONS=False)  # answer 500 as production does

    @failing.get("/feeds/<token>")
    def broken_feed(token):
        raise RuntimeError("the feed broke")

    with capture_logs() as read:
        response = failing.test_client().get("/feeds/s3cr3t-feed-token")
    assert response.status_code == 500
    entries = read()
    assert "s3cr3t" not in json.dumps(entries)
    errors = [e for e in entries if e["level"] == "ERROR"]
    assert errors and all(e["path"] == "/feeds/[redacted]" for e in errors)
    assert any("/feeds/[redacted]" in e["message"] for e in errors)
    assert any("RuntimeError: the feed broke" in e.get("exception", "") for e in errors)
