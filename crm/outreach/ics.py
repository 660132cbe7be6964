"""The personal iCalendar feed (RFC 5545): a user's meetings and open task due dates."""

from datetime import timedelta

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event

from crm.core.time import utcnow
from crm.outreach.labels import INTERACTION_KIND
from crm.outreach.queries import calendar_items, show_notes

TASK_EVENT_MINUTES = 15
DEFAULT_MEETING_MINUTES = 30


def _domain() -> str:
    return current_app.config.get("MAIL_MESSAGE_ID_DOMAIN", "cabildeo.local")


def _absolute(endpoint: str, **values) -> str:
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    return base + url_for(endpoint, **values)


def build_feed(user, now=None) -> bytes:
    """Render the feed in the user's own language; UIDs depend only on the row, so updates replace events."""
    now = now or utcnow()
    interactions, tasks = calendar_items(user, now)
    with force_locale(user.language or "es_PE"):
        calendar = Calendar()
        calendar.add("prodid", "-//Cabildeo//Agenda//ES")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", _("Cabildeo: %(name)s", name=user.name))
        for interaction in interactions:
            calendar.add_component(_interaction_event(user, interaction, now))
        for row in tasks:
            calendar.add_component(_task_event(row, now))
        return calendar.to_ical()


def _interaction_event(user, interaction, now) -> Event:
    names = ", ".join(x.full_name for x in interaction.legislators)
    event = Event()
    event.add("uid", f"interaction-{interaction.id}@{_domain()}")
    event.add("dtstamp", now)
    event.add("last-modified", interaction.updated_at or interaction.created_at)
    event.add("dtstart", interaction.starts_at)
    event.add("dtend", interaction.starts_at + timedelta(minutes=interaction.duration_minutes or DEFAULT_MEETING_MINUTES))
    event.add("summary", f"{INTERACTION_KIND.text(interaction.kind)}: {names}")
    if interaction.place:
        event.add("location", interaction.place)
    description = []
    if interaction.notes and show_notes(user, interaction):
        description.append(interaction.notes)
    if interaction.outcome:
        description.append(_("Resultado: %(outcome)s", outcome=interaction.outcome))
    if description:
        event.add("description", "\n\n".join(description))
    event.add("url", _absolute("outreach.interaction_detail", interaction_id=interaction.id))
    return event


def _task_event(row, now) -> Event:
    task = row.Task
    event = Event()
    event.add("uid", f"task-{task.id}@{_domain()}")
    event.add("dtstamp", now)
    event.add("dtstart", task.due_at)
    event.add("dtend", task.due_at + timedelta(minutes=TASK_EVENT_MINUTES))
    event.add("summary", _("Vence: %(title)s", title=task.title))
    lines = [x for x in (row[1], row[2], task.description) if x]
    if lines:
        event.add("description", "\n".join(lines))
    event.add("transp", "TRANSPARENT")
    event.add("url", _absolute("outreach.edit_task", task_id=task.id))
    return event
