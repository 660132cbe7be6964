"""The audit trail: written in the same transaction as the change, and browsable by admins and directors."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import abort
from flask_login import current_user
from sqlalchemy import func, select

from crm.accounts import operations
from crm.accounts.models import User
from crm.audit.models import AuditEntry
from crm.core import audit
from crm.extensions import db
from tests.conftest import login
from tests.foundation.conftest import committed_user


def _entries(**where):
    statement = select(AuditEntry).order_by(AuditEntry.id)
    for key, value in where.items():
        statement = statement.where(getattr(AuditEntry, key) == value)
    return db.session.execute(statement).scalars().all()


# --- Same transaction ---------------------------------------------------------------------------


@pytest.fixture
def renaming_app(isolated_app):
    """Test-only routes that rename the signed-in user through the real operation, then end in different ways."""
    isolated_app.config["PROPAGATE_EXCEPTIONS"] = False

    def rename():
        operations.update_preferences(current_user._get_current_object(), name="Nombre Cambiado")

    @isolated_app.post("/test-only/rename/<outcome>")
    def rename_then(outcome):
        rename()
        if outcome == "refused":
            abort(409)
        if outcome == "crash":
            raise RuntimeError("boom after the write")
        return "ok"

    return isolated_app


def _state(application, user_id):
    with application.app_context():
        name = db.session.get(User, user_id).name
        count = db.session.execute(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "user.preferences", AuditEntry.object_id == str(user_id))
        ).scalar_one()
        return name, count


@pytest.mark.parametrize("outcome", ["refused", "crash"])
def test_a_failed_request_keeps_neither_the_change_nor_its_audit_row(renaming_app, outcome):
    user = committed_user(renaming_app, "officer", name="Nombre Original")
    client = renaming_app.test_client()
    login(client, type("U", (), {"get_id": lambda self: f"{user['id']}:1"})())
    response = client.post(f"/test-only/rename/{outcome}")
    assert response.status_code in (409, 500)
    assert _state(renaming_app, user["id"]) == ("Nombre Original", 0)


def test_a_successful_request_commits_the_change_with_its_audit_row(renaming_app):
    user = committed_user(renaming_app, "officer", name="Nombre Original")
    client = renaming_app.test_client()
    login(client, type("U", (), {"get_id": lambda self: f"{user['id']}:1"})())
    assert client.post("/test-only/rename/fine").status_code == 200
    assert _state(renaming_app, user["id"]) == ("Nombre Cambiado", 1)
    with renaming_app.app_context():
        entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "user.preferences")).scalar_one()
        assert entry.actor_id == user["id"]
        assert entry.object_type == "User" and entry.object_id == str(user["id"])
        assert entry.old_values == {"name": "Nombre Original"} and entry.new_values == {"name": "Nombre Cambiado"}
        assert entry.created_at.tzinfo is not None and entry.created_at.utcoffset() == timedelta(0)
        assert abs(datetime.now(UTC) - entry.created_at) < timedelta(minutes=1)
        assert entry.request_id and entry.ip_address


def test_an_operation_only_flushes_and_the_rollback_takes_its_audit_row(app, make_user):
    user = make_user("officer", name="Antes")
    before = len(_entries(action="user.preferences"))
    savepoint = db.session.begin_nested()
    operations.update_preferences(user, name="Después")
    assert len(_entries(action="user.preferences")) == before + 1
    savepoint.rollback()
    assert len(_entries(action="user.preferences")) == before
    db.session.refresh(user)
    assert user.name == "Antes"


def test_snapshot_and_changes_keep_only_what_changed():
    before = {"a": 1, "b": "x", "c": None}
    after = {"a": 1, "b": "y", "c": datetime(2026, 1, 2, tzinfo=UTC).isoformat()}
    assert audit.changes(before, after) == ({"b": "x", "c": None}, {"b": "y", "c": "2026-01-02T00:00:00+00:00"})


# --- Logins and denials -------------------------------------------------------------------------


def test_login_failed_login_and_denial_are_recorded(client, make_user):
    user = make_user("officer")
    client.post("/login", data={"email": user.email, "password": "equivocada del todo"})
    client.post("/login", data={"email": "nadie@example.org", "password": "equivocada del todo"})
    client.post("/login", data={"email": user.email, "password": "una frase bastante larga"})
    assert client.get("/admin/users").status_code == 403

    failed = _entries(action="auth.login_failed")
    assert any(e.object_id == str(user.id) and e.actor_id == user.id for e in failed)
    unknown = [e for e in failed if e.object_id is None]
    assert len(unknown) == 1 and unknown[0].actor_id is None
    assert unknown[0].new_values["email_masked"] == "n…@e….org"
    assert "nadie@example.org" not in str(unknown[0].new_values)
    assert [e.actor_id for e in _entries(action="auth.login")][-1] == user.id
    denial = _entries(action="permission.denied")[-1]
    assert denial.actor_id == user.id
    assert "officer" in denial.new_values["reason"]
    assert denial.ip_address == "127.0.0.1"


def test_denials_survive_the_rolled_back_request(isolated_app):
    user = committed_user(isolated_app, "viewer")
    client = isolated_app.test_client()
    client.post("/login", data={"email": user["email"], "password": user["password"]})
    assert client.get("/admin/audit").status_code == 403
    with isolated_app.app_context():
        rows = db.session.execute(select(AuditEntry).where(AuditEntry.action == "permission.denied")).scalars().all()
        assert [r.actor_id for r in rows] == [user["id"]]


# --- Browsing -----------------------------------------------------------------------------------


@pytest.fixture
def trail(make_user):
    """A few entries at known times from two people."""
    ana = make_user("officer", name="Ana Auditada")
    beto = make_user("officer", name="Beto Buscado")
    base = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    for i, (who, action, kind) in enumerate(
        [(ana, "stance.record", "StanceAssessment"), (beto, "task.create", "Task"), (beto, "stance.record", "StanceAssessment")]
    ):
        entry = audit.record(action, actor=who, object_type=kind, object_id=100 + i, new={"n": i})
        entry.created_at = base + timedelta(days=i)
    db.session.commit()
    return ana, beto


@pytest.mark.parametrize("role", ["admin", "director"])
def test_admins_and_directors_browse_and_filter(login_as, make_user, trail, role):
    ana, beto = trail
    client = login_as(make_user(role))
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "stance.record" in page and "Creación de tarea" in page

    by_action = client.get("/admin/audit?action=task.").get_data(as_text=True)
    assert "Creación de tarea" in by_action and "stance.record" not in by_action

    by_actor = client.get(f"/admin/audit?actor={ana.id}").get_data(as_text=True)
    assert "Ana Auditada" in by_actor and "Beto Buscado" not in by_actor.split('class="list-group')[1]

    by_type = client.get("/admin/audit?object_type=Task").get_data(as_text=True)
    assert "Creación de tarea" in by_type and "stance.record" not in by_type

    by_object = client.get("/admin/audit?object_type=StanceAssessment&object_id=102").get_data(as_text=True)
    assert "1 registro<" in by_object

    by_day = client.get("/admin/audit?from=2026-03-11&to=2026-03-11").get_data(as_text=True)
    assert "Creación de tarea" in by_day and "stance.record" not in by_day


def test_filters_survive_paging_links(login_as, make_user):
    admin = make_user("admin")
    for i in range(55):
        audit.record("bulk.thing", actor=admin, object_type="Thing", object_id=i)
    db.session.commit()
    page = login_as(admin).get("/admin/audit?action=bulk").get_data(as_text=True)
    assert "55 registros" in page
    assert "action=bulk" in page and "page=2" in page


def test_bad_filter_values_are_ignored_not_errors(login_as, make_user):
    client = login_as(make_user("admin"))
    assert client.get("/admin/audit?from=ayer&to=2026-13-45&actor=x&page=-3").status_code == 200


@pytest.mark.parametrize("role", ["officer", "viewer"])
def test_officers_and_viewers_cannot_browse(login_as, make_user, role):
    assert login_as(make_user(role)).get("/admin/audit").status_code == 403


def test_audit_page_costs_the_same_number_of_statements_for_more_rows(login_as, make_user, count_queries):
    admin = make_user("admin")
    client = login_as(admin)
    client.get("/admin/audit")
    with count_queries() as few:
        client.get("/admin/audit")
    for i in range(30):
        audit.record("bulk.more", actor=make_user("officer") if i % 10 == 0 else admin, object_type="Thing", object_id=i)
    db.session.commit()
    client.get("/admin/audit")  # the commit above expired the signed-in user; reload it outside the count
    with count_queries() as many:
        client.get("/admin/audit")
    assert len(many) == len(few)


def test_audit_times_are_shown_in_the_readers_timezone(login_as, make_user):
    reader = make_user("admin", timezone="Europe/Madrid")
    entry = audit.record("clock.check", actor=reader, object_type="Thing", object_id=1)
    entry.created_at = datetime(2026, 1, 15, 17, 30, tzinfo=UTC)
    db.session.commit()
    page = login_as(reader).get("/admin/audit?action=clock.check").get_data(as_text=True)
    cell = page.split("<time")[1].split(">", 1)[1].split("</time>")[0]
    # 17:30 UTC is 18:30 in Madrid in January; es-PE writes it on a 12-hour clock.
    assert re.fullmatch(r"15/01/26,\s6:30\sp\.\sm\.", cell), cell


def test_changes_are_readable_and_escaped(login_as, make_user):
    admin = make_user("admin")
    audit.record("name.check", actor=admin, object_type="Thing", object_id=1, old={"name": "Óscar"}, new={"name": "<script>alert(1)</script>"})
    db.session.commit()
    page = login_as(admin).get("/admin/audit?action=name.check").get_data(as_text=True)
    assert "Óscar" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_trail_reads_as_sentences_with_links_in_both_languages(login_as, make_user):
    admin = make_user("admin", name="Ana Admin")
    invited = make_user("officer", name="Olga Oficial")
    audit.record("user.update", actor=admin, obj=invited, old={"role": "viewer"}, new={"role": "officer"})
    audit.record("auth.login", actor=admin, obj=admin)
    db.session.commit()
    client = login_as(admin)
    page = client.get("/admin/audit").get_data(as_text=True)
    trail = page.split('class="list-group mb-3 audit-list"')[1]
    sentence = f'Ana Admin</span> · Edición de cuenta: <a href="/admin/users/{invited.id}">cuenta n.º {invited.id}</a>'
    assert sentence in trail
    assert "user.update" not in trail and "auth.login" not in trail and ">User<" not in trail
    assert "Inicio de sesión" in trail
    without_logins = client.get("/admin/audit?hide_logins=1").get_data(as_text=True).split("audit-list")[1]
    assert "Inicio de sesión" not in without_logins and "Edición de cuenta" in without_logins
    admin.language = "en"
    db.session.commit()
    english = client.get("/admin/audit").get_data(as_text=True).split("audit-list")[1]
    assert f'<a href="/admin/users/{invited.id}">account no. {invited.id}</a>' in english


def test_a_denial_reads_as_the_page_refused_not_the_rule(client, make_user, login_as):
    director = make_user("director", name="Dora Directora")
    login_as(director).get("/admin/users")
    db.session.rollback()
    admin = make_user("admin")
    page = login_as(admin).get("/admin/audit?action=permission").get_data(as_text=True).split("audit-list")[1]
    sentence = page.split('class="audit-sentence"')[1].split("</div>")[0]
    assert "Dora Directora" in sentence and "/admin/users" in sentence and "Role." not in sentence
