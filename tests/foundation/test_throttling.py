"""Throttling: failed logins slow down one email from one address, never lock the owner out from elsewhere,
and answer the same whether or not the email has an account. Password resets are throttled too."""

import re
from datetime import timedelta

import pytest
from flask import template_rendered
from sqlalchemy import func, select

from crm.accounts.models import RateLimit
from crm.audit.models import AuditEntry
from crm.core.time import utcnow
from crm.extensions import db
from crm.reminders.models import OutboundEmail
from tests.foundation.conftest import committed_user

PASSWORD = "una frase bastante larga"
WRONG = "una contraseña equivocada"
ATTACKER, OWNER, OFFICE = "203.0.113.9", "198.51.100.7", "192.0.2.44"


def _login(client, email, password=PASSWORD, address=OWNER):
    return client.post("/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


def _answer(response) -> tuple[int, str]:
    page = response.get_data(as_text=True)
    flashed = re.findall(r'class="alert alert-\w+[^"]*"[^>]*>\s*(.*?)\s*<', page)
    return response.status_code, " ".join(flashed)


@pytest.fixture
def clock(monkeypatch):
    """The time the login code sees; tests move it instead of sleeping."""
    state = {"now": utcnow()}
    monkeypatch.setattr("crm.accounts.operations.utcnow", lambda: state["now"])

    def advance(**delta):
        state["now"] += timedelta(**delta)

    return advance


def test_an_attacker_elsewhere_cannot_keep_the_owner_out(isolated_app, second_app):
    """Two app objects on one database stand for two gunicorn workers: the counts live in the database."""
    admin = committed_user(isolated_app, "admin")
    workers = [isolated_app.test_client(), second_app.test_client()]
    answers = [_login(workers[n % 2], admin["email"], WRONG, ATTACKER).status_code for n in range(40)]
    assert answers[:6] == [401] * 6 and set(answers[6:]) == {429}, "the attacker is slowed down"
    for worker in workers:
        response = _login(worker, admin["email"], PASSWORD, OWNER)
        assert response.status_code == 302, "the owner, at her own address, still gets in"
        worker.post("/logout")
    with isolated_app.app_context():
        rows = db.session.execute(select(RateLimit)).scalars().all()
        assert rows and all(admin["email"] not in row.key and ATTACKER not in row.key for row in rows)


def test_the_owners_own_mistakes_get_growing_delays_not_a_lock(client, make_user, clock):
    user = make_user("officer")
    for _ in range(5):
        assert _login(client, user.email, WRONG).status_code == 401
    assert _login(client, user.email, WRONG).status_code == 401  # the sixth failure starts a 2-second wait
    waiting = _login(client, user.email, PASSWORD)
    assert waiting.status_code == 429, "even the right password waits"
    assert "Espere 2 segundos" in waiting.get_data(as_text=True)
    clock(seconds=3)
    assert _login(client, user.email, WRONG).status_code == 401
    assert "Espere 4 segundos" in _login(client, user.email, PASSWORD).get_data(as_text=True)
    clock(seconds=5)
    assert _login(client, user.email, PASSWORD).status_code == 302


def test_the_delay_stops_growing_at_15_minutes(client, make_user, clock):
    user = make_user("officer")
    for _ in range(20):
        _login(client, user.email, WRONG)
        clock(minutes=16)
    assert _login(client, user.email, WRONG).status_code == 401
    assert "Espere 15 minutos" in _login(client, user.email, PASSWORD).get_data(as_text=True)
    clock(minutes=15, seconds=1)
    assert _login(client, user.email, PASSWORD).status_code == 302


def test_known_and_unknown_emails_get_the_same_answers(client, make_user):
    user = make_user("officer")
    known = [_answer(_login(client, user.email, WRONG, ATTACKER)) for _ in range(12)]
    unknown = [_answer(_login(client, "nadie@example.org", WRONG, ATTACKER)) for _ in range(12)]
    assert known == unknown
    assert known[0] == (401, "Correo o contraseña incorrectos.")
    assert known[-1][0] == 429 and "cuenta" not in known[-1][1].lower()


def test_one_address_trying_many_emails_is_slowed_down_alone(client, make_user, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ADDRESS_FREE_FAILURES", 3)
    user = make_user("officer")
    for n in range(4):
        assert _login(client, f"persona{n}@example.org", WRONG, ATTACKER).status_code == 401
    assert _login(client, "otra@example.org", WRONG, ATTACKER).status_code == 429
    assert _login(client, user.email, PASSWORD, OFFICE).status_code == 302


def test_the_wait_is_said_in_english_too(client, make_user):
    user = make_user("officer")
    client.set_cookie("lang", "en")
    for _ in range(6):
        _login(client, user.email, WRONG)
    assert "Too many failed attempts. Wait 2 seconds" in _login(client, user.email).get_data(as_text=True)


# --- Password reset -------------------------------------------------------------------------------


def _forgot(client, email, address=OWNER):
    return client.post("/password/forgot", data={"email": email}, environ_base={"REMOTE_ADDR": address})


def _reset_mails(email):
    return db.session.execute(
        select(func.count(OutboundEmail.id)).where(OutboundEmail.kind == "reset", OutboundEmail.recipient == email)
    ).scalar()


def test_resets_are_throttled_per_email_the_same_way_for_unknown_emails(client, make_user):
    user = make_user("officer")
    known = [_answer(_forgot(client, user.email, address)) for address in (OWNER, OFFICE, ATTACKER, "192.0.2.1")]
    unknown = [_answer(_forgot(client, "nadie@example.org", address)) for address in (OWNER, OFFICE, ATTACKER, "192.0.2.1")]
    assert [status for status, _text in known] == [302, 302, 302, 429]
    assert known == unknown
    assert "Demasiadas solicitudes. Espere 60 minutos" in _forgot(client, user.email).get_data(as_text=True)
    assert 1 <= _reset_mails(user.email) <= 3  # requests within one second share one message


def test_resets_are_throttled_per_address(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "RESET_PER_ADDRESS", 2)
    assert [_forgot(client, f"p{n}@example.org", ATTACKER).status_code for n in range(3)] == [302, 302, 429]
    assert _forgot(client, "p9@example.org", OFFICE).status_code == 302


def test_a_reset_does_the_same_work_whether_or_not_the_account_exists(app, client, make_user, count_queries):
    user = make_user("officer")
    rendered = []

    def note(sender, template, context, **extra):
        rendered.append(template.name)

    work = {}
    template_rendered.connect(note, app)
    try:
        for label, email, address in (("known", user.email, OWNER), ("unknown", "nadie@example.org", OFFICE)):
            rendered.clear()
            with count_queries() as sql:
                assert _forgot(client, email, address).status_code == 302
            kinds = sorted(re.match(r"\s*(\w+(?:\s+INTO\s+\w+)?)", s).group(1).upper() for s in sql)
            work[label] = (sorted(rendered), kinds)
    finally:
        template_rendered.disconnect(note, app)
    assert "accounts/email/account_link.html" in work["known"][0]
    assert work["known"][0] == work["unknown"][0], "the same email bodies are rendered"
    # The same lookups, token, bodies, counters and one audit row; a real account adds only its outbox row.
    known = list(work["known"][1])
    known.remove("INSERT INTO OUTBOUND_EMAILS")
    assert known == work["unknown"][1]


# --- Audit trail ----------------------------------------------------------------------------------


def _audit(action):
    return db.session.execute(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).scalars().all()


def test_a_reset_request_for_an_unknown_email_is_audited_without_the_email(client):
    _forgot(client, "Nadie.Aqui@Example.org")
    (entry,) = _audit("auth.reset_unknown_email")
    assert entry.new_values["email_masked"] == "n…@e….org"
    assert "nadie.aqui" not in str(entry.new_values)


def test_a_password_typed_as_email_never_reaches_the_audit_trail(client, login_as, make_user):
    _login(client, "MiClaveSecreta2026!", WRONG)
    (entry,) = _audit("auth.login_failed")
    assert entry.new_values["email_masked"] is None and "miclave" not in str(entry.new_values).lower()
    page = login_as(make_user("admin")).get("/admin/audit?action=auth.").get_data(as_text=True)
    assert "MiClaveSecreta2026" not in page and "miclavesecreta2026" not in page


def test_the_same_mistyped_email_gets_the_same_hash(client):
    _login(client, "alguien@example.org", WRONG)
    _login(client, "ALGUIEN@example.org ", WRONG)
    first, second = _audit("auth.login_failed")
    assert first.new_values["email_hash"] == second.new_values["email_hash"]


def test_failed_reset_and_invite_links_are_audited(client, make_user, clock):
    user = make_user("officer")
    _forgot(client, user.email)
    body = db.session.execute(select(OutboundEmail.body_text).where(OutboundEmail.recipient == user.email)).scalar_one()
    token = re.search(r"/password/reset/(\S+)", body).group(1)
    assert client.get("/password/reset/not-a-token").status_code == 400
    assert client.get("/invite/not-a-token").status_code == 400
    assert client.post(f"/password/reset/{token}", data={"new_password": "otra frase todavía más larga",
                                                         "confirm": "otra frase todavía más larga"}).status_code == 302
    assert client.get(f"/password/reset/{token}").status_code == 400
    problems = [(e.new_values["problem"], e.object_id) for e in _audit("auth.reset_link_invalid")]
    assert problems == [("forged", None), ("used", str(user.id))]
    assert [e.new_values["problem"] for e in _audit("auth.invite_link_invalid")] == ["forged"]
    assert all(e.ip_address for e in _audit("auth.reset_link_invalid"))


def test_an_expired_reset_link_is_audited(client, make_user, monkeypatch):
    user = make_user("officer")
    _forgot(client, user.email)
    body = db.session.execute(select(OutboundEmail.body_text).where(OutboundEmail.recipient == user.email)).scalar_one()
    token = re.search(r"/password/reset/(\S+)", body).group(1)
    monkeypatch.setattr("crm.accounts.views.RESET_MAX_AGE", -1)
    assert client.get(f"/password/reset/{token}").status_code == 400
    (entry,) = _audit("auth.reset_link_invalid")
    assert entry.new_values == {"problem": "expired"} and entry.object_id == str(user.id)


def test_csrf_failures_are_audited(raw_client, make_user):
    user = make_user("officer")
    response = raw_client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    (entry,) = _audit("security.csrf_failed")
    assert entry.new_values["path"] == "/login" and entry.new_values["method"] == "POST"
    assert entry.ip_address == "127.0.0.1"
