"""Spanish (Peru) by default, English per user or from the footer switch; times in each user's timezone."""

import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import refresh
from flask_login import login_user
from markupsafe import escape

from crm.extensions import db

ROOT = Path(__file__).resolve().parents[2]
FOUNDATION_SOURCES = (
    "crm/accounts/",
    "crm/audit/",
    "crm/home/",
    "crm/core/",
    "templates/accounts/",
    "templates/audit/",
    "templates/home/",
    "templates/errors/",
    "templates/_macros/",
    "templates/base.html",
    "templates/_nav.html",
)


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    """`make` compiles the catalogues; compile here too when a .po is newer, so a plain pytest run is honest."""
    for po in ROOT.glob("translations/*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(
                [sys.executable, "-m", "babel.messages.frontend", "compile", "-d", str(ROOT / "translations")],
                check=True,
                capture_output=True,
            )
            break


def test_anonymous_pages_are_in_spanish_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="es">' in page
    assert "Iniciar sesión" in page and "Correo" in page and "Contraseña" in page


def test_a_user_who_chose_english_sees_english(login_as, make_user):
    client = login_as(make_user("admin", language="en"))
    home = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in home
    assert "Hello, " in home and "Log out" in home and "Administration" in home
    account = client.get("/account").get_data(as_text=True)
    assert "My account" in account and "Time zone" in account and "Save" in account
    assert "Mi cuenta" not in account
    users = client.get("/admin/users").get_data(as_text=True)
    assert "Invite user" in users and "Active" in users
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert "Audit trail" in audit and "Filter" in audit


def test_english_error_pages(login_as, make_user):
    client = login_as(make_user("officer", language="en"))
    assert "Access denied" in client.get("/admin/users").get_data(as_text=True)
    assert "Page not found" in client.get("/nowhere").get_data(as_text=True)


def test_spanish_user_sees_spanish(login_as, make_user):
    page = login_as(make_user("officer", language="es_PE")).get("/account").get_data(as_text=True)
    assert "Mi cuenta" in page and "Zona horaria" in page


def test_choosing_english_in_preferences(login_as, make_user):
    user = make_user("officer")
    client = login_as(user)
    response = client.post("/account", data={"name": user.name, "language": "en", "timezone": "America/Lima"})
    assert response.status_code == 302
    assert "Preferences saved." in client.get("/account").get_data(as_text=True)
    db.session.refresh(user)
    assert user.language == "en"


def test_footer_switch_for_anonymous_visitors(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'action="/language/en"' in page
    response = client.post("/language/en", data={"next": "/login"})
    assert response.status_code == 302 and response.location == "/login"
    english = client.get("/login").get_data(as_text=True)
    assert "Log in" in english and "Forgot your password?" in english
    client.post("/language/es_PE", data={"next": "/login"})
    assert "Iniciar sesión" in client.get("/login").get_data(as_text=True)


def test_footer_switch_for_a_signed_in_user_is_saved(login_as, make_user):
    user = make_user("officer")
    client = login_as(user)
    client.post("/language/en", data={"next": "/"})
    db.session.refresh(user)
    assert user.language == "en"
    assert "Hello, " in client.get("/").get_data(as_text=True)


def test_unknown_language_is_404(client):
    assert client.post("/language/fr").status_code == 404


def test_spanish_stays_the_default_whatever_the_browser_says(client):
    for accept in ("en-GB,en;q=0.9", "en-US", "de-DE", ""):
        assert "Iniciar sesión" in client.get("/login", headers={"Accept-Language": accept}).get_data(as_text=True)


def test_invitation_email_is_in_the_invited_users_language(login_as, make_user):
    from sqlalchemy import select

    from crm.reminders.models import OutboundEmail

    client = login_as(make_user("admin"))
    client.post("/admin/users/invite", data={"email": "en@example.org", "name": "Eve", "role": "officer", "language": "en", "partner_organisation_id": "0"})
    mail = db.session.execute(select(OutboundEmail).where(OutboundEmail.recipient == "en@example.org")).scalar_one()
    assert mail.subject == "Invitation to Cabildeo"
    assert "invited you to Cabildeo with the role “Advocacy officer”" in mail.body_text


# --- Time --------------------------------------------------------------------------------------

MOMENT = datetime(2026, 1, 15, 17, 30, tzinfo=UTC)


def _render_for(app, user, template="{{ moment|localdt('short') }}"):
    with app.test_request_context("/"):
        login_user(user)
        refresh()  # the suite shares one app context, where Flask-Babel caches the zone; a real request starts fresh
        return render_template_string(template, moment=MOMENT)


def test_times_are_shown_in_each_users_timezone(app, make_user):
    lima = make_user("officer", timezone="America/Lima", language="en")
    madrid = make_user("officer", timezone="Europe/Madrid", language="en")
    assert re.fullmatch(r"1/15/26, 12:30\sPM", _render_for(app, lima))
    assert re.fullmatch(r"1/15/26, 6:30\sPM", _render_for(app, madrid))


def test_lima_is_the_default_timezone(app, make_user):
    user = make_user("officer")
    assert user.timezone == "America/Lima"
    assert re.fullmatch(r"15/01/26, 12:30\sp\.\sm\.", _render_for(app, user))


def test_localdate_uses_the_users_day(app, make_user):
    late = datetime(2026, 1, 16, 2, 0, tzinfo=UTC)  # still the 15th in Lima, already the 16th in Madrid
    lima = make_user("officer", timezone="America/Lima", language="en")
    madrid = make_user("officer", timezone="Europe/Madrid", language="en")
    for user, day in ((lima, "Jan 15, 2026"), (madrid, "Jan 16, 2026")):
        with app.test_request_context("/"):
            login_user(user)
            refresh()
            assert render_template_string("{{ t|localdate }}", t=late) == day


@pytest.mark.parametrize("zone", ["America/Lima", "Europe/Madrid", "America/New_York", "Asia/Kolkata"])
@pytest.mark.parametrize("language", ["es_PE", "en"])
def test_localdt_writes_what_babel_writes(app, make_user, zone, language):
    """The filter's shortcut for named formats must agree with Flask-Babel's format_datetime, DST included."""
    from flask_babel import format_datetime

    user = make_user("officer", timezone=zone, language=language)
    moments = [
        datetime(2026, 3, 8, 6, 59, tzinfo=UTC), datetime(2026, 3, 8, 7, 1, tzinfo=UTC),  # New York's spring change
        datetime(2026, 3, 29, 0, 59, tzinfo=UTC), datetime(2026, 3, 29, 1, 1, tzinfo=UTC),  # Madrid's
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
        datetime(2026, 1, 1, 0, 0),  # naive values are UTC
    ]
    with app.test_request_context("/"):
        login_user(user)
        refresh()
        for moment in moments:
            for fmt in ("short", "medium", "long", "full"):
                rendered = render_template_string("{{ t|localdt(fmt) }}", t=moment, fmt=fmt)
                assert rendered == str(escape(format_datetime(moment.replace(tzinfo=moment.tzinfo or UTC), fmt)))
        assert render_template_string("{{ t|localdt('yyyy-MM-dd HH:mm') }}", t=moments[0]) == format_datetime(
            moments[0], "yyyy-MM-dd HH:mm"
        )


def test_page_strings_escape_their_values_but_not_their_own_markup(app):
    """Translated text is trusted; the values put into it are not (a legislator's name may hold markup)."""
    template = (
        "{{ _('Eliminado el %(when)s por %(who)s.', when='<b>hoy</b>', who='Ana') }}|"
        "{{ ngettext('%(num)d legislador', '%(num)d legisladores', 2) }}|"
        "{{ ngettext('%(num)s ciudadana o ciudadano de %(place)s firmó, con firma verificada, la iniciativa «%(campaign)s».',"
        " '%(num)s ciudadanas y ciudadanos de %(place)s firmaron, con firma verificada, la iniciativa «%(campaign)s».',"
        " 3, num='3', place='<i>Cusco</i>', campaign='x') }}|"
        "{% autoescape false %}{{ _('Eliminado el %(when)s por %(who)s.', when='<b>hoy</b>', who='Ana') }}{% endautoescape %}"
    )
    with app.test_request_context("/"):
        refresh()
        escaped, plural, signed, raw = render_template_string(template).split("|")
    assert escaped == "Eliminado el &lt;b&gt;hoy&lt;/b&gt; por Ana."
    assert plural == "2 legisladores"
    assert "&lt;i&gt;Cusco&lt;/i&gt;" in signed and "<i>" not in signed
    assert raw == "Eliminado el <b>hoy</b> por Ana."


def test_localdt_of_a_plain_date_is_left_to_babel(app, make_user):
    from datetime import date

    from flask_babel import format_datetime

    with app.test_request_context("/"):
        login_user(make_user("officer", language="en"))
        refresh()
        day = date(2026, 1, 15)
        assert render_template_string("{{ d|localdt('medium') }}", d=day) == format_datetime(day, "medium")


def test_page_strings_follow_a_forced_locale(app, make_user):
    """Templates look the catalogue up once per render, so a render inside force_locale (e-mails) must switch."""
    from flask_babel import force_locale

    user = make_user("officer", language="es_PE")
    template = "{{ _('Cerrar sesión') }} · {{ ngettext('%(num)d legislador', '%(num)d legisladores', 2) }}"
    with app.test_request_context("/"):
        login_user(user)
        refresh()
        assert render_template_string(template) == "Cerrar sesión · 2 legisladores"
        with force_locale("en"):
            assert render_template_string(template) == "Log out · 2 legislators"
        assert render_template_string(template) == "Cerrar sesión · 2 legisladores"


def test_timezone_selector_for_anonymous_visitors_is_lima(app):
    from flask_babel import get_timezone

    with app.test_request_context("/"):
        assert str(get_timezone()) == "America/Lima"


# --- Catalogue ---------------------------------------------------------------------------------


def _foundation_msgids() -> set:
    """Extract the strings of the foundation's files now, so a string added since `make messages` is caught too."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file

    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found = set()
    for prefix in FOUNDATION_SOURCES:
        base = ROOT / prefix
        files = [base] if base.is_file() else [*base.rglob("*.py"), *base.rglob("*.html"), *base.rglob("*.txt")]
        for path in files:
            method = "python" if path.suffix == ".py" else "jinja2.ext:babel_extract"
            options = {} if method == "python" else {"extensions": "jinja2.ext.do"}
            for _lineno, message, _comments, _context in extract_from_file(method, str(path), keywords=keywords, options=options):
                found.add(message)
    return found


def test_every_foundation_string_has_an_english_translation():
    with (ROOT / "translations/en/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    wanted = _foundation_msgids()
    assert len(wanted) > 100
    missing = []
    for msgid in wanted:
        message = catalogue.get(msgid)
        strings = () if message is None else (message.string if isinstance(message.string, tuple) else (message.string,))
        if message is None or not all(strings) or message.fuzzy:
            missing.append(msgid)
    assert sorted(missing, key=str) == [], "run `make messages` and translate these in translations/en"


def test_compiled_catalogues_are_not_committed():
    ignored = (ROOT / ".gitignore").read_text()
    assert "*.mo" in ignored.split()


def test_the_language_picked_before_logging_in_is_kept(client, make_user):
    user = make_user("officer")
    client.post("/language/en", data={"next": "/login"})
    client.post("/login", data={"email": user.email, "password": "una frase bastante larga"})
    assert "Hello, " in client.get("/").get_data(as_text=True)
    db.session.refresh(user)
    assert user.language == "en"


def test_without_a_footer_choice_the_saved_language_wins(client, make_user):
    user = make_user("officer", language="en")
    client.post("/login", data={"email": user.email, "password": "una frase bastante larga"})
    assert "Hello, " in client.get("/").get_data(as_text=True)
