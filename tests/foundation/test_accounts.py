"""Log in, log out, change a password, and the admin pages that invite, deactivate and change roles."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from crm.accounts.models import User
from crm.audit.models import AuditEntry
from crm.extensions import db
from crm.reminders.models import OutboundEmail

PASSWORD = "una frase bastante larga"
NEW_PASSWORD = "otra frase todavía más larga"


def _login(client, email, password, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def _actions(user_id) -> list[str]:
    rows = db.session.execute(select(AuditEntry.action).where(AuditEntry.object_type == "User", AuditEntry.object_id == str(user_id)))
    return list(rows.scalars())


def test_login_page_has_the_form(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'name="email"' in page and 'name="password"' in page and 'name="csrf_token"' in page


def test_login_then_logout(client, make_user):
    user = make_user("officer")
    response = _login(client, user.email, PASSWORD)
    assert response.status_code == 302 and response.location == "/"
    assert client.get("/").status_code == 200

    response = client.post("/logout")
    assert response.status_code == 302 and response.location == "/login"
    home = client.get("/")
    assert home.status_code == 302 and home.location.startswith("/login")
    assert "auth.logout" in _actions(user.id)


def test_logout_needs_a_post(client, make_user):
    user = make_user("officer")
    _login(client, user.email, PASSWORD)
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_email_is_case_insensitive_and_wrong_password_refused(client, make_user):
    user = make_user("officer", email="Mixta@Example.org")
    response = _login(client, "mixta@example.org", "no es la contraseña")
    assert response.status_code == 401
    assert "Correo o contraseña incorrectos." in response.get_data(as_text=True)
    assert _login(client, "  MIXTA@example.ORG ", PASSWORD).status_code == 302
    assert user.email == "mixta@example.org"


def test_unknown_email_gets_the_same_answer(client):
    response = _login(client, "nadie@example.org", PASSWORD)
    assert response.status_code == 401
    assert "Correo o contraseña incorrectos." in response.get_data(as_text=True)


def test_deactivated_user_cannot_log_in(client, make_user):
    user = make_user("officer", active=False)
    assert _login(client, user.email, PASSWORD).status_code == 401


def test_passwords_are_stored_as_scrypt_hashes(make_user):
    user = make_user("officer")
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


def test_change_password(client, make_user):
    user = make_user("officer")
    _login(client, user.email, PASSWORD)
    assert "Cambiar contraseña" in client.get("/account/password").get_data(as_text=True)

    wrong = client.post("/account/password", data={"current_password": "otra cosa", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert "La contraseña actual no es correcta." in wrong.get_data(as_text=True)

    mismatch = client.post("/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": "x" * 20})
    assert "Las contraseñas no coinciden." in mismatch.get_data(as_text=True)

    weak = client.post("/account/password", data={"current_password": PASSWORD, "new_password": "corta", "confirm": "corta"})
    assert "al menos 12 caracteres" in weak.get_data(as_text=True)

    done = client.post("/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert client.get("/").status_code == 200, "the session that changed the password stays signed in"
    client.post("/logout")
    assert _login(client, user.email, PASSWORD).status_code == 401
    assert _login(client, user.email, NEW_PASSWORD).status_code == 302
    assert "user.password_changed" in _actions(user.id)


def test_admin_invites_a_user_who_sets_a_password(client, login_as, make_user):
    admin = make_user("admin")
    login_as(admin)
    assert "Invitar usuario" in client.get("/admin/users/invite").get_data(as_text=True)
    response = client.post(
        "/admin/users/invite",
        data={"email": "Nueva@Example.org", "name": "Nora Nueva", "role": "officer", "language": "en", "partner_organisation_id": "0"},
    )
    assert response.status_code == 302 and response.location == "/admin/users"
    invited = db.session.execute(select(User).where(User.email == "nueva@example.org")).scalar_one()
    assert (invited.role, invited.language, invited.password_hash) == ("officer", "en", None)
    mail = db.session.execute(select(OutboundEmail).where(OutboundEmail.recipient == "nueva@example.org")).scalar_one()
    assert mail.kind == "invite" and mail.subject == "Invitation to Cabildeo"
    link = re.search(r"https?://\S+/invite/(\S+)", mail.body_text)
    assert link, mail.body_text
    assert {"user.create", "user.invite_sent"} <= set(_actions(invited.id))

    client.post("/logout")
    token = link.group(1)
    assert client.get(f"/invite/{token}").status_code == 200
    assert client.post(f"/invite/{token}", data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert _login(client, "nueva@example.org", NEW_PASSWORD).status_code == 302
    client.post("/logout")
    assert client.get(f"/invite/{token}").status_code == 400, "an invitation link works only once"


def test_inviting_an_existing_email_keeps_what_was_typed(client, login_as, make_user):
    admin = make_user("admin")
    other = make_user("officer")
    login_as(admin)
    before = db.session.execute(select(func.count(User.id))).scalar_one()
    response = client.post(
        "/admin/users/invite",
        data={"email": other.email, "name": "Nombre Escrito", "role": "director", "language": "es_PE", "partner_organisation_id": "0"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ya existe un usuario con ese correo." in page
    assert 'value="Nombre Escrito"' in page
    assert db.session.execute(select(func.count(User.id))).scalar_one() == before


def test_admin_changes_a_role(client, login_as, make_user):
    admin = make_user("admin")
    officer = make_user("officer")
    login_as(admin)
    assert officer.name in client.get(f"/admin/users/{officer.id}").get_data(as_text=True)
    response = client.post(f"/admin/users/{officer.id}", data={"role": "director", "active": "y", "partner_organisation_id": "0"})
    assert response.status_code == 302
    db.session.refresh(officer)
    assert officer.role == "director"
    entry = db.session.execute(
        select(AuditEntry).where(AuditEntry.action == "user.update", AuditEntry.object_id == str(officer.id))
    ).scalar_one()
    assert entry.actor_id == admin.id
    assert entry.old_values == {"role": "officer"} and entry.new_values == {"role": "director"}


def test_admin_deactivates_a_user_and_their_session_ends(app, client, login_as, make_user):
    admin = make_user("admin")
    officer = make_user("officer")
    officer_client = app.test_client()
    _login(officer_client, officer.email, PASSWORD)
    assert officer_client.get("/").status_code == 200

    login_as(admin)
    response = client.post(f"/admin/users/{officer.id}", data={"role": "officer", "partner_organisation_id": "0"})
    assert response.status_code == 302
    db.session.refresh(officer)
    assert officer.active is False
    assert officer_client.get("/").status_code == 302, "a deactivated account is signed out"
    assert _login(app.test_client(), officer.email, PASSWORD).status_code == 401
    listing = client.get("/admin/users?active=0").get_data(as_text=True)
    assert officer.email in listing and "Desactivada" in listing


def test_admin_cannot_lock_themself_out(client, login_as, make_user):
    admin = make_user("admin")
    login_as(admin)
    demote = client.post(f"/admin/users/{admin.id}", data={"role": "officer", "active": "y", "partner_organisation_id": "0"})
    assert "No puede quitarse a sí mismo el rol de administrador." in demote.get_data(as_text=True)
    deactivate = client.post(f"/admin/users/{admin.id}", data={"role": "admin", "partner_organisation_id": "0"})
    assert "No puede desactivar su propia cuenta." in deactivate.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.role == "admin" and admin.active


def test_unknown_user_id_is_404(client, login_as, make_user):
    login_as(make_user("admin"))
    assert client.get("/admin/users/999999").status_code == 404


def test_users_page_lists_and_filters(client, login_as, make_user):
    admin = make_user("admin")
    viewer = make_user("viewer")
    login_as(admin)
    page = client.get("/admin/users").get_data(as_text=True)
    assert admin.email in page and viewer.email in page
    only_viewers = client.get("/admin/users?role=viewer").get_data(as_text=True)
    assert viewer.email in only_viewers and admin.email not in only_viewers


def test_users_page_costs_the_same_number_of_statements_for_more_users(client, login_as, make_user, count_queries):
    login_as(make_user("admin"))
    client.get("/admin/users")
    with count_queries() as few:
        assert client.get("/admin/users").status_code == 200
    for _ in range(8):
        make_user("officer")
    with count_queries() as many:
        assert client.get("/admin/users").status_code == 200
    assert len(many) == len(few)


def test_preferences_are_saved_and_audited(client, login_as, make_user):
    user = make_user("officer")
    login_as(user)
    data = {"name": "Nombre Nuevo", "language": "es_PE", "timezone": "Europe/Madrid", "digest_hour": "7", "notify_overdue": "y"}
    assert client.post("/account", data=data).status_code == 302
    db.session.refresh(user)
    assert (user.name, user.timezone, user.digest_hour, user.notify_overdue, user.notify_digest) == (
        "Nombre Nuevo",
        "Europe/Madrid",
        7,
        True,
        False,
    )
    assert "user.preferences" in _actions(user.id)


def test_an_unknown_timezone_is_refused_and_the_form_keeps_it(client, login_as, make_user):
    user = make_user("officer")
    login_as(user)
    response = client.post("/account", data={"name": user.name, "language": "es_PE", "timezone": "Marte/Olympus"})
    page = response.get_data(as_text=True)
    assert "Zona horaria desconocida." in page and 'value="Marte/Olympus"' in page
    db.session.refresh(user)
    assert user.timezone == "America/Lima"


@pytest.mark.parametrize("role", ["admin", "director", "officer", "viewer"])
def test_create_user_command(app, role):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["crm", "create-user", "--email", f"CLI-{role}@Example.org", "--role", role, "--name", "Cli", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert f"Created {role} cli-{role}@example.org" in result.output
    user = db.session.execute(select(User).where(User.email == f"cli-{role}@example.org")).scalar_one()
    assert user.role == role and user.active
    assert "user.create" in _actions(user.id)
    assert _login(app.test_client(), user.email, PASSWORD).status_code == 302


def test_create_user_command_prompts_for_the_password(app):
    result = app.test_cli_runner().invoke(
        args=["crm", "create-user", "--email", "prompt@example.org", "--role", "officer"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert db.session.execute(select(User).where(User.email == "prompt@example.org")).scalar_one().password_hash


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "officer", "--password", "corta"], "al menos 12 caracteres"),
        (["--role", "officer", "--password", "password1234"], "demasiado común"),
        (["--role", "superuser", "--password", PASSWORD], "Invalid value for '--role'"),
    ],
)
def test_create_user_command_refuses_bad_input(app, args, message):
    result = app.test_cli_runner().invoke(args=["crm", "create-user", "--email", "malo@example.org", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.execute(select(User).where(User.email == "malo@example.org")).scalar_one_or_none() is None


def test_create_user_command_refuses_a_duplicate(app, make_user):
    user = make_user("officer")
    result = app.test_cli_runner().invoke(args=["crm", "create-user", "--email", user.email, "--role", "admin", "--password", PASSWORD])
    assert result.exit_code == 1
    assert "Ya existe un usuario con ese correo." in result.output


def test_forgot_password_queues_a_reset_link_without_revealing_accounts(client, make_user):
    user = make_user("officer")
    for email in (user.email, "nadie@example.org"):
        response = client.post("/password/forgot", data={"email": email})
        assert response.status_code == 302 and response.location == "/login"
        assert "Si el correo está registrado" in client.get("/login").get_data(as_text=True)
    mails = db.session.execute(select(OutboundEmail).where(OutboundEmail.kind == "reset")).scalars().all()
    assert [m.recipient for m in mails] == [user.email]
    token = re.search(r"/password/reset/(\S+)", mails[0].body_text).group(1)
    assert client.post(f"/password/reset/{token}", data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert _login(client, user.email, NEW_PASSWORD).status_code == 302
    client.post("/logout")
    assert client.get(f"/password/reset/{token}").status_code == 400, "a reset link works only once"


def test_a_forged_link_is_refused(client):
    assert client.get("/password/reset/not-a-token").status_code == 400
    assert client.get("/invite/not-a-token").status_code == 400


def test_an_unknown_partner_organisation_is_a_form_error_not_a_crash(client, login_as, make_user):
    officer = make_user("officer")
    login_as(make_user("admin"))
    response = client.post(f"/admin/users/{officer.id}", data={"role": "viewer", "active": "y", "partner_organisation_id": "999999"})
    assert response.status_code == 200
    db.session.refresh(officer)
    assert officer.role == "officer" and officer.partner_organisation_id is None
    invite = client.post(
        "/admin/users/invite",
        data={"email": "p@example.org", "name": "P", "role": "viewer", "language": "es_PE", "partner_organisation_id": "999999"},
    )
    assert invite.status_code == 200
    assert db.session.execute(select(User).where(User.email == "p@example.org")).scalar_one_or_none() is None


def test_unknown_emails_cost_a_password_check_too(app, monkeypatch):
    from crm.accounts import operations, passwords

    calls = []
    real = passwords.check_password_hash
    monkeypatch.setattr(passwords, "check_password_hash", lambda h, p: calls.append(h) or real(h, p))
    assert operations.authenticate("nadie@example.org", "una frase cualquiera") == (None, timedelta(0))
    assert len(calls) == 1 and calls[0].startswith("scrypt:")


def test_edit_page_links_to_the_accounts_audit_history(client, login_as, make_user):
    officer = make_user("officer")
    login_as(make_user("admin"))
    page = client.get(f"/admin/users/{officer.id}").get_data(as_text=True)
    link = re.search(r'href="(/admin/audit\?[^"]+)"', page).group(1).replace("&amp;", "&")
    history = client.get(link).get_data(as_text=True)
    assert "user.create" in history and "1 registro<" in history


def test_pending_invitation_is_listed_and_accepting_signs_in(client, login_as, make_user):
    admin = make_user("admin", name="Ana Admin")
    login_as(admin)
    client.post(
        "/admin/users/invite",
        data={"email": "pendiente@example.org", "name": "Pia Pendiente", "role": "director", "language": "en", "partner_organisation_id": "0"},
    )
    listing = client.get("/admin/users").get_data(as_text=True)
    row = listing.split(">Pia Pendiente<")[1].split("</a>")[0]
    assert "Invitación pendiente" in row and ">Activa<" not in row
    mail = db.session.execute(select(OutboundEmail).where(OutboundEmail.recipient == "pendiente@example.org")).scalar_one()
    assert "Ana Admin invited you to Cabildeo with the role “Director”" in mail.body_text, mail.body_text
    assert "Ana Admin invited you" in mail.body_html
    token = re.search(r"https?://\S+/invite/(\S+)", mail.body_text).group(1)
    client.post("/logout")
    response = client.post(f"/invite/{token}", data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.location == "/"
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200 and "Pia Pendiente" in home.get_data(as_text=True)
    client.post("/logout")
    login_as(admin)
    row = client.get("/admin/users").get_data(as_text=True).split(">Pia Pendiente<")[1].split("</a>")[0]
    assert ">Activa<" in row and "Invitación pendiente" not in row


def test_a_viewer_account_needs_a_partner_organisation(client, login_as, make_user):
    from crm.accounts.models import PartnerOrganisation

    admin = make_user("admin")
    officer = make_user("officer")
    login_as(admin)
    data = {"email": "aliada@example.org", "name": "Alia", "role": "viewer", "language": "es_PE", "partner_organisation_id": "0"}
    response = client.post("/admin/users/invite", data=data)
    assert response.status_code == 200
    assert "necesita una organización aliada" in response.get_data(as_text=True)
    assert db.session.execute(select(User).where(User.email == "aliada@example.org")).scalar_one_or_none() is None
    refused = client.post(f"/admin/users/{officer.id}", data={"role": "viewer", "active": "y", "partner_organisation_id": "0"})
    assert refused.status_code == 200 and "necesita una organización aliada" in refused.get_data(as_text=True)
    db.session.refresh(officer)
    assert officer.role == "officer"
    partner = PartnerOrganisation(name="Colectiva Aliada")
    db.session.add(partner)
    db.session.commit()
    assert client.post("/admin/users/invite", data={**data, "partner_organisation_id": str(partner.id)}).status_code == 302
