"""Periodic jobs: each finds what is due and writes outbox rows with an idempotency key.

Run by the scheduler process only (see scheduler.py); each run is one transaction, committed by the caller.
The keys make every job safe to run as often as we like: a reminder that already has a row is skipped.

After downtime nothing is sent twice and nothing disappears silently:
- a due-soon reminder whose task is already overdue, or a meeting reminder whose meeting has started,
  is recorded with status 'missed' (the overdue reminder and the digest still tell the user); this holds for
  anything created before its due time or start, however short the notice;
- today's digest is sent late, the same day; a digest for an earlier day is recorded as 'missed';
- the overdue reminder is about today, so after downtime it is simply sent once for today.
"""

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.accounts.models import User
from crm.core.mail import enqueue_many, external_url
from crm.core.outbox import OutboundEmail
from crm.core.permissions import STAFF_ROLES, Role
from crm.core.time import local_day_bounds, local_to_utc, local_today, utcnow, zone
from crm.extensions import db
from crm.outreach.labels import INTERACTION_KIND
from crm.outreach.models import Interaction, Task, interaction_staff
from crm.reminders.digests import build_digests, build_weekly
from crm.reminders.emails import missed_row, reminder_row

# How far back a job looks for reminders it should have written while the scheduler was down.
MISSED_LOOKBACK = timedelta(hours=48)
KEY_CHUNK = 2000


def digest_subject(overdue: int, today: int, meetings: int) -> str:
    """The daily digest's subject, every count with its own plural: "1 meeting", "2 meetings"."""
    return _("Su resumen del día: %(parts)s", parts=", ".join((
        ngettext("%(num)s tarea vencida", "%(num)s tareas vencidas", overdue),
        ngettext("%(num)s para hoy", "%(num)s para hoy", today),
        ngettext("%(num)s reunión", "%(num)s reuniones", meetings),
    )))


def _stamp(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%SZ")


def existing_keys(keys: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(keys), KEY_CHUNK):
        chunk = keys[i : i + KEY_CHUNK]
        found.update(
            db.session.execute(select(OutboundEmail.idempotency_key).where(OutboundEmail.idempotency_key.in_(chunk))).scalars()
        )
    return found


def _eligible(preference):
    """Active staff who keep this kind of reminder switched on."""
    return (User.active.is_(True), User.role.in_([str(r) for r in STAFF_ROLES]), preference.is_(True))


def _digest_instant(user: User, day) -> datetime:
    hour = user.digest_hour if user.digest_hour is not None else 8
    return local_to_utc(datetime(day.year, day.month, day.day, hour), user.timezone)


# --- tasks ------------------------------------------------------------------------------------------


def due_soon_key(task_id: int, due_at: datetime) -> str:
    return f"due_soon:{task_id}:{_stamp(due_at)}"


def run_due_soon(now: datetime | None = None) -> int:
    """Tasks due within 24 hours; keyed by task, due time and kind, so a rescheduled task is reminded again."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Task, User)
        .join(User, User.id == Task.assignee_id)
        .where(
            Task.status == "open",
            Task.due_at > now - MISSED_LOOKBACK,
            Task.due_at <= now + timedelta(hours=24),
            *_eligible(User.notify_due_soon),
        )
        .order_by(Task.due_at, Task.id)
    ).all()
    keys = {task.id: due_soon_key(task.id, task.due_at) for task, _user in rows}
    done = existing_keys(list(keys.values()))
    tasks_url = _tasks_url()
    out = []
    for task, user in rows:
        key = keys[task.id]
        if key in done:
            continue
        if task.due_at > now:
            out.append(
                reminder_row(
                    key=key, kind="due_soon", user=user, now=now, task=task,
                    task_url=tasks_url,
                    subject_fn=lambda t=task: _("Tarea para pronto: %(title)s", title=t.title),
                )
            )
        elif task.created_at is not None and task.created_at < task.due_at:
            out.append(
                missed_row(
                    key=key, kind="due_soon", user=user, now=now,
                    subject=_("Tarea para pronto: %(title)s", title=task.title),
                    reason=_("No enviado: la tarea ya estaba vencida cuando el programador volvió a funcionar."),
                )
            )
    return enqueue_many(out)


def overdue_key(task_id: int, day) -> str:
    return f"overdue:{task_id}:{day.isoformat()}"


def run_overdue(now: datetime | None = None) -> int:
    """At most one reminder per task and local day.

    The day a task falls overdue it is reminded at once; on later days at the user's digest hour,
    so nobody gets mail at midnight.
    """
    now = now or utcnow()
    rows = db.session.execute(
        select(Task, User)
        .join(User, User.id == Task.assignee_id)
        .where(Task.status == "open", Task.due_at <= now, *_eligible(User.notify_overdue))
        .order_by(Task.due_at, Task.id)
    ).all()
    wanted = []
    for task, user in rows:
        today = local_today(user.timezone, now)
        start_of_day, _next_day = local_day_bounds(today, user.timezone)
        if task.due_at >= start_of_day or now >= _digest_instant(user, today):
            wanted.append((overdue_key(task.id, today), task, user))
    done = existing_keys([key for key, _t, _u in wanted])
    tasks_url = _tasks_url()
    out = [
        reminder_row(
            key=key, kind="overdue", user=user, now=now, task=task, task_url=tasks_url,
            subject_fn=lambda t=task: _("Tarea vencida: %(title)s", title=t.title),
        )
        for key, task, user in wanted
        if key not in done
    ]
    return enqueue_many(out)


def _tasks_url() -> str:
    """Where a task reminder points: the recipient's task list (the site's root when outreach is absent)."""
    if "outreach.my_tasks" in current_app.view_functions:
        return external_url("outreach.my_tasks")
    return current_app.config["BASE_URL"].rstrip("/") + "/"


# --- meetings ---------------------------------------------------------------------------------------


def meeting_key(interaction_id: int, user_id: int, starts_at: datetime) -> str:
    return f"meeting:{interaction_id}:{user_id}:{_stamp(starts_at)}"


def run_meetings(now: datetime | None = None) -> int:
    """Each participant (author and staff) hears about an interaction CRM_MEETING_REMINDER_MINUTES before it."""
    now = now or utcnow()
    lead = timedelta(minutes=current_app.config.get("MEETING_REMINDER_MINUTES", 120))
    staff = select(interaction_staff.c.interaction_id, interaction_staff.c.user_id).union(
        select(Interaction.id, Interaction.author_id)
    ).subquery()
    rows = db.session.execute(
        select(Interaction, User)
        .join(staff, staff.c.interaction_id == Interaction.id)
        .join(User, User.id == staff.c.user_id)
        .where(
            Interaction.deleted_at.is_(None),
            Interaction.kind != "email",  # a logged email is not something to turn up to
            Interaction.starts_at > now - MISSED_LOOKBACK,
            Interaction.starts_at <= now + lead,
            *_eligible(User.notify_meetings),
        )
        .order_by(Interaction.starts_at, Interaction.id, User.id)
        .options(selectinload(Interaction.legislators))
    ).all()
    keys = [meeting_key(i.id, u.id, i.starts_at) for i, u in rows]
    done = existing_keys(keys)
    out = []
    for (interaction, user), key in zip(rows, keys, strict=True):
        if key in done:
            continue
        if interaction.starts_at > now:
            out.append(
                reminder_row(
                    key=key, kind="meeting", user=user, now=now, interaction=interaction,
                    legislators=[leg.full_name for leg in interaction.legislators],
                    subject_fn=lambda i=interaction, u=user: _(
                        "Recordatorio: %(what)s a las %(time)s",
                        what=INTERACTION_KIND.text(i.kind),
                        time=i.starts_at.astimezone(zone(u.timezone)).strftime("%H:%M"),
                    ),
                )
            )
        elif interaction.created_at is not None and interaction.created_at < interaction.starts_at:
            # Its reminder was due at starts_at - lead, or at once for a meeting logged at shorter notice; either
            # way before the start, so a scheduler that was down then missed it (the same rule as due-soon).
            out.append(
                missed_row(
                    key=key, kind="meeting", user=user, now=now,
                    subject=_("Recordatorio: %(what)s", what=INTERACTION_KIND.text(interaction.kind)),
                    reason=_("No enviado: la reunión ya había empezado cuando el programador volvió a funcionar."),
                )
            )
    return enqueue_many(out)


# --- daily digest -----------------------------------------------------------------------------------


def digest_key(user_id: int, day) -> str:
    return f"digest:{user_id}:{day.isoformat()}"


def run_digests(now: datetime | None = None) -> int:
    """Each user's digest at their local digest hour; a fixed number of queries for any number of users."""
    now = now or utcnow()
    users = db.session.execute(select(User).where(*_eligible(User.notify_digest)).order_by(User.id)).scalars().all()
    due, missed = [], []
    for user in users:
        today = local_today(user.timezone, now)
        if now >= _digest_instant(user, today):
            due.append((digest_key(user.id, today), user))
        yesterday = today - timedelta(days=1)
        if user.created_at is not None and user.created_at < _digest_instant(user, yesterday):
            missed.append((digest_key(user.id, yesterday), user, yesterday))
    done = existing_keys([key for key, _u in due] + [key for key, _u, _d in missed])
    due = [(key, user) for key, user in due if key not in done]
    out = [
        missed_row(
            key=key, kind="digest", user=user, now=now,
            subject=_("Resumen del día %(day)s", day=day.isoformat()),
            reason=_("No enviado: el programador no estaba en marcha ese día."),
        )
        for key, user, day in missed
        if key not in done
    ]
    digests = build_digests([user for _key, user in due], now)
    for key, user in due:
        digest = digests[user.id]
        out.append(
            reminder_row(
                key=key, kind="digest", user=user, now=now, digest=digest,
                subject_fn=lambda d=digest: digest_subject(len(d.overdue), len(d.today), len(d.meetings)),
            )
        )
    return enqueue_many(out)


# --- weekly summary ---------------------------------------------------------------------------------


def weekly_key(user_id: int, day) -> str:
    year, week, _weekday = day.isocalendar()
    return f"weekly:{user_id}:{year}-W{week:02d}"


def run_weekly(now: datetime | None = None) -> int:
    """Directors get a summary on Monday at their digest hour (local time); a Monday without one is 'missed'."""
    now = now or utcnow()
    users = db.session.execute(
        select(User).where(User.role == str(Role.DIRECTOR), *_eligible(User.notify_weekly)).order_by(User.id)
    ).scalars().all()
    due, missed = [], []
    for user in users:
        today = local_today(user.timezone, now)
        monday = today - timedelta(days=today.weekday())
        created = user.created_at
        if today == monday:
            if now >= _digest_instant(user, monday):
                due.append((weekly_key(user.id, monday), user))
        elif created is not None and created < _digest_instant(user, monday):
            # Past Monday with no summary for this week: the scheduler was down on Monday.
            missed.append((weekly_key(user.id, monday), user))
        last_monday = monday - timedelta(days=7)
        if created is not None and created < _digest_instant(user, last_monday):
            missed.append((weekly_key(user.id, last_monday), user))
    done = existing_keys([k for k, _u in due] + [k for k, _u in missed])
    out = [
        missed_row(
            key=key, kind="weekly", user=user, now=now,
            subject=_("Resumen semanal"),
            reason=_("No enviado: el programador no estaba en marcha esa semana."),
        )
        for key, user in missed
        if key not in done
    ]
    due = [(key, user) for key, user in due if key not in done]
    if due:
        summary = build_weekly(now)
        for key, user in due:
            out.append(
                reminder_row(
                    key=key, kind="weekly", user=user, now=now, summary=summary,
                    subject_fn=lambda: _("Resumen semanal del conteo de votos"),
                )
            )
    return enqueue_many(out)


# --- housekeeping -----------------------------------------------------------------------------------

KEEP_SENT = timedelta(days=90)


def purge_old_mail(now: datetime | None = None) -> int:
    """Delete sent and discarded mail after 90 days. Keys only need to outlive the 48-hour look-back above."""
    now = now or utcnow()
    result = db.session.execute(
        OutboundEmail.__table__.delete().where(
            OutboundEmail.status.in_(("sent", "discarded")), OutboundEmail.created_at < now - KEEP_SENT
        )
    )
    return result.rowcount


def run_all(now: datetime | None = None) -> dict[str, int]:
    """Every reminder job once (the `crm run-reminders` command)."""
    now = now or utcnow()
    return {
        "due_soon": run_due_soon(now),
        "overdue": run_overdue(now),
        "meetings": run_meetings(now),
        "digests": run_digests(now),
        "weekly": run_weekly(now),
    }
