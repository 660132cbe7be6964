"""The whip board's poll shortcut in front of Flask: it answers an unchanged board's poll with 304 only when the
app itself would, and otherwise lets the app answer. It reads on a connection of its own, so these tests use a
really committed database."""

import logging
import re
import time
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from crm.accounts.models import User
from crm.campaigns.board_shortcut import PollShortcut
from crm.extensions import db
from tests.campaigns.conftest import add_campaign, build_world, stance
from tests.conftest import login


def _shortcut(app) -> PollShortcut:
    layer = app.wsgi_app
    while not isinstance(layer, PollShortcut):
        layer = layer.app
    return layer


@pytest.fixture
def served(isolated_app, make_user):
    with isolated_app.app_context():
        world = build_world()
        add_campaign(world)
        db.session.commit()
        director = make_user("director")
        client = isolated_app.test_client()
        login(client, director)
        shortcut = _shortcut(isolated_app)
        flask_calls = []
        inner = shortcut.wsgi_app

        def counted(environ, start_response):
            flask_calls.append(environ["PATH_INFO"])
            return inner(environ, start_response)

        shortcut.wsgi_app = counted
        url = f"/campaigns/{world.campaign.id}/whip?stage={world.plenary.id}&fragment=board"
        first = client.get(url, headers={"HX-Request": "true"})
        assert first.status_code == 200 and flask_calls
        flask_calls.clear()
        yield SimpleNamespace(app=isolated_app, world=world, user=director, client=client, url=url,
                              etag=first.headers["ETag"], flask_calls=flask_calls)


def _poll(served, etag=None, **headers):
    return served.client.get(served.url, headers={"HX-Request": "true", "If-None-Match": etag or served.etag, **headers})


def test_an_unchanged_poll_is_answered_before_flask_with_the_apps_headers(served, caplog):
    with caplog.at_level(logging.INFO, logger="crm.access"):
        answer = _poll(served)
    assert answer.status_code == 304 and answer.get_data() == b""
    assert served.flask_calls == []
    assert answer.headers["ETag"] == served.etag
    assert answer.headers["Cache-Control"] == "no-store" and answer.headers["Vary"] == "Cookie"
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Request-ID"]
    lines = [r for r in caplog.records if r.name == "crm.access"]
    assert [(r.status, r.user_id) for r in lines] == [(304, served.user.id)]
    # A weak tag (as a compressing proxy passes it on) names the same board.
    assert _poll(served, "W/" + served.etag).status_code == 304 and served.flask_calls == []


def _logged_out(served):
    db.session.execute(update(User).where(User.id == served.user.id).values(session_version=User.session_version + 1))
    db.session.commit()


def _deactivated(served):
    db.session.execute(update(User).where(User.id == served.user.id).values(active=False))
    db.session.commit()


def _stance_changed(served):
    stance(served.world, 1, "champion")
    db.session.commit()


def _messages_waiting(served):
    with served.client.session_transaction() as session:
        session["_flashes"] = [("success", "Guardado.")]


def _cookie_due_again(served):
    with served.client.session_transaction() as session:
        session.permanent = True  # as every real login makes it
    served.app.config["SESSION_REFRESH_SECONDS"] = 0


def _no_cookie(served):
    served.client.delete_cookie("session")


@pytest.mark.parametrize(("change", "status"), [
    (_logged_out, 302), (_deactivated, 302), (_no_cookie, 302),
    (_stance_changed, 200), (_messages_waiting, 304), (_cookie_due_again, 304),
])
def test_anything_else_goes_to_the_app_which_decides(served, change, status):
    change(served)
    answer = _poll(served)
    assert served.flask_calls, "the shortcut answered what only the app may"
    assert answer.status_code == status
    if status == 302:
        assert "/login" in answer.headers["Location"]
    if change is _cookie_due_again:
        assert "session=" in answer.headers.get("Set-Cookie", "")  # the app signed it again


def test_another_board_or_an_unknown_page_goes_to_the_app(served):
    assert _poll(served, '"another-board"').status_code == 200 and served.flask_calls
    served.flask_calls.clear()
    other = served.client.get(served.url.replace("/whip", "/whip-list"), headers={"If-None-Match": served.etag})
    assert served.flask_calls and other.status_code != 304


def test_a_cookie_verified_before_is_refused_once_past_the_idle_timeout(served, monkeypatch):
    assert _poll(served).status_code == 304  # verified and remembered
    lifetime = served.app.permanent_session_lifetime.total_seconds()
    later = time.time() + lifetime + 5
    monkeypatch.setattr("crm.core.sessions.time.time", lambda: later)
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    answer = _poll(served)
    assert served.flask_calls and answer.status_code == 302 and "/login" in answer.headers["Location"]


def _page(client, served):
    return client.get(served.url.replace("&fragment=board", ""))


def test_a_cached_page_is_served_by_the_first_hook_with_each_readers_own_frame(served, make_user, count_queries):
    first = _page(served.client, served)
    assert first.status_code == 200
    with count_queries() as sql:
        again = _page(served.client, served)
    # Served by the first hook: its one read goes straight to the driver, so no statement passes the engine (the
    # view would cost two: the user and the version tokens).
    assert again.status_code == 200 and sql == []
    html = again.get_data(as_text=True)
    assert html.split('data-board-etag=')[1] == first.get_data(as_text=True).split('data-board-etag=')[1]
    assert served.user.name in html and "\x00" not in html
    # The CSRF token put into the cached frame is this session's and works.
    token = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    served.client.send_csrf = False
    answer = served.client.post("/language/en", data={"csrf_token": token, "next": "/"})
    assert answer.status_code == 302
    # Another reader with the same view of the board gets the same board in her own frame.
    other = make_user("director", name="Otra Directora Distinta")
    other_client = served.app.test_client()
    login(other_client, other)
    theirs = _page(other_client, served).get_data(as_text=True)
    assert "Otra Directora Distinta" in theirs and served.user.name not in theirs
    assert theirs.split('data-board-etag=')[1].split(">")[0] == html.split('data-board-etag=')[1].split(">")[0]


def test_a_page_with_a_message_waiting_shows_it_once(served):
    _page(served.client, served)
    with served.client.session_transaction() as session:
        session["_flashes"] = [("success", "Postura guardada.")]
    assert "Postura guardada." in _page(served.client, served).get_data(as_text=True)
    assert "Postura guardada." not in _page(served.client, served).get_data(as_text=True)


# --- the shortcut answers 304 only where the app itself answers 304 --------------------------------------------


def _tampered(cookie: str) -> str:
    middle = len(cookie) // 2
    return cookie[:middle] + ("A" if cookie[middle] != "A" else "B") + cookie[middle + 1:]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_shortcut_answers_304_only_where_the_app_does(served, make_user, data):
    if not hasattr(served, "cookies"):
        served.app.config["TRUSTED_HOSTS"] = ["localhost", "127.0.0.1"]
        partner = make_user("viewer")
        partner_client = served.app.test_client()
        login(partner_client, partner)
        partner_client.get(served.url)  # the partner's own board, cached too
        mine = served.client.get_cookie("session").value
        served.cookies = {"mine": mine, "partner's": partner_client.get_cookie("session").value,
                          "tampered": _tampered(mine), "truncated": mine[:-6], "none": ""}
    cookie = served.cookies[data.draw(st.sampled_from(sorted(served.cookies)), label="cookie")]
    etag = data.draw(st.sampled_from([served.etag, "W/" + served.etag, f'"x", {served.etag}', "*", '"x"', "",
                                      served.etag.strip('"'), "\x00"]), label="etag")
    stage = served.world.plenary.id
    query = data.draw(st.sampled_from([f"stage={stage}&fragment=board", f"fragment=board&stage={stage}",
                                       "fragment=board", f"stage={stage}&fragment=summary",
                                       f"stage={stage}&fragment=board&fragment=board", f"stage={stage}&targets=all&fragment=board",
                                       "stage=99999&fragment=board"]), label="query")
    path = data.draw(st.sampled_from([f"/campaigns/{served.world.campaign.id}/whip", "/campaigns/99999/whip",
                                      f"/campaigns/{served.world.campaign.id}/whip/", "/campaigns/0001/whip"]),
                     label="path")
    host = data.draw(st.sampled_from(["localhost", "127.0.0.1", "evil.example"]), label="host")
    method = data.draw(st.sampled_from(["GET", "HEAD"]), label="method")
    headers = {"Host": host, "If-None-Match": etag, "HX-Request": "true",
               **({"Cookie": f"session={cookie}"} if cookie else {})}
    client = served.app.test_client(use_cookies=False)
    served.flask_calls.clear()
    first = client.open(f"{path}?{query}", method=method, headers=headers)
    answered_by_shortcut = not served.flask_calls
    app_alone = _shortcut(served.app)
    app_alone.answer, saved = (lambda environ: None), app_alone.answer
    try:
        second = client.open(f"{path}?{query}", method=method, headers=headers)
    finally:
        app_alone.answer = saved
    if answered_by_shortcut:
        assert first.status_code == 304 == second.status_code
        assert first.headers["ETag"] == second.headers["ETag"]
    else:
        assert first.status_code == second.status_code
