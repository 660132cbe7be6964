"""An admin handles a refused email from a phone."""

import pytest
from sqlalchemy import select

from crm.core.mail import enqueue_email
from crm.extensions import db
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def test_admin_retries_a_failed_email_on_a_phone(isolated_app, live_server, live_user, phone_page):
    from crm.reminders.models import OutboundEmail

    admin = live_user("admin", name="Ana Admin")
    with isolated_app.app_context():
        enqueue_email(key="invite:x", kind="invite", recipient="nadie@example.org", subject="Invitación a Cabildeo", text="t")
        row = db.session.execute(select(OutboundEmail)).scalar_one()
        row.status, row.attempts, row.last_error = "failed", 1, "550 5.1.1 User unknown"
        db.session.commit()
        row_id = row.id

    browser_login(phone_page, live_server, admin)
    phone_page.get_by_role("button", name="Abrir menú").click()
    phone_page.get_by_role("button", name="Administración").click()
    phone_page.locator("#main-nav").get_by_role("link", name="Correo saliente").click()
    phone_page.wait_for_url(f"{live_server}/admin/mail")
    assert phone_page.get_by_text("550 5.1.1 User unknown").is_visible()
    phone_page.get_by_role("button", name="Reintentar ahora").click()
    assert phone_page.get_by_text("El correo a nadie@example.org se enviará de nuevo.").is_visible()

    with isolated_app.app_context():
        assert db.session.get(OutboundEmail, row_id).status == "pending"
