"""Rendering reminder emails: text + HTML, in the recipient's language and timezone, with an unsubscribe link."""

from datetime import date, datetime

from babel.dates import format_date, format_datetime, format_time
from flask import current_app, render_template
from flask_babel import force_locale

from crm.core.mail import external_url, outbox_row
from crm.core.time import zone
from crm.reminders.tokens import make_unsubscribe_token


def unsubscribe_url(user_id: int, kind: str) -> str:
    return external_url("reminders.unsubscribe", token=make_unsubscribe_token(user_id, kind))


class Formatter:
    """Dates and times as the recipient reads them."""

    def __init__(self, user):
        self.tz = zone(user.timezone)
        self.locale = _babel_locale(user.language)

    def when(self, value: datetime | None) -> str:
        if value is None:
            return ""
        return format_datetime(value, "EEE d MMM, HH:mm", tzinfo=self.tz, locale=self.locale)

    def time(self, value: datetime | None) -> str:
        if value is None:
            return ""
        return format_time(value, "HH:mm", tzinfo=self.tz, locale=self.locale)

    def day(self, value: date) -> str:
        return format_date(value, "full", locale=self.locale)


def _babel_locale(language: str | None) -> str:
    return language if language in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def render_reminder(kind: str, user, subject_fn, **context) -> tuple[str, str, str, str]:
    """(subject, text, html, unsubscribe url). subject_fn runs under the user's locale so gettext translates it."""
    link = unsubscribe_url(user.id, kind)
    with force_locale(_babel_locale(user.language)):
        subject = str(subject_fn())
        values = {
            "recipient": user,
            "fmt": Formatter(user),
            "unsubscribe_url": link,
            "app_url": current_app.config["BASE_URL"].rstrip("/"),
            "kind": kind,
            **context,
        }
        text = render_template(f"reminders/email/{kind}.txt", **values)
        html = render_template(f"reminders/email/{kind}.html", subject=subject, **values)
    return subject, text, html, link


def reminder_row(*, key: str, kind: str, user, subject_fn, now: datetime, **context) -> dict:
    subject, text, html, link = render_reminder(kind, user, subject_fn, **context)
    return outbox_row(
        key=key, kind=kind, recipient=user.email, subject=subject, text=text, html=html,
        user_id=user.id, now=now, unsubscribe_url=link,
    )


def missed_row(*, key: str, kind: str, user, subject: str, reason: str, now: datetime) -> dict:
    """A reminder that was due while nothing was running: recorded, shown to admins, never sent late."""
    return outbox_row(
        key=key, kind=kind, recipient=user.email, subject=subject, text=reason, html=None,
        user_id=user.id, now=now, status="missed", note=reason,
    )
