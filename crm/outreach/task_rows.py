"""One task as a list shows it (My tasks, the team's tasks, the row swapped in after a change), rendered once per
version of its row and kept per process.

A row's HTML follows from the values in its key: the task's own fields and the names joined to it, whether it is
overdue now, the list it is in, the language and the timezone. The macro (`outreach/_task_macros.html`) reads
nothing else; a field it starts to show must join the key (a test renders rows both ways and compares them). The
CSRF token of the row's form goes in per request.
"""

from flask import g, get_template_attribute
from flask_babel import get_locale, get_timezone
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from crm.core.caches import app_cache
from crm.core.frames import CSRF_MARK
from crm.outreach import bp

ROW_ENTRIES = 4096


def row_key(row, now, show_assignee: bool) -> tuple:
    task = row[0]
    overdue = task.status == "open" and task.due_at is not None and task.due_at < now
    return (task.id, task.status, task.title, task.priority, task.due_at, task.legislator_id, row[1], row[2],
            row[3] if show_assignee else None, overdue, show_assignee, *_reader_scope())


def _reader_scope() -> tuple[str, str]:
    """The language and timezone rows are written in, looked up once per request (a list has many rows)."""
    scope = g.get("task_row_scope")
    if scope is None:
        scope = g.task_row_scope = (str(get_locale()), str(get_timezone()))
    return scope


def render_row(row, now, show_assignee: bool, csrf: str) -> str:
    return str(get_template_attribute("outreach/_task_macros.html", "task_item")(row, now, csrf, show_assignee))


@bp.app_template_global()
def task_row(row, now, show_assignee: bool = False) -> Markup:
    """The list item of one task row (a task with its legislator's, campaign's and assignee's names)."""
    key = row_key(row, now, show_assignee)
    cache = app_cache("task_rows", ROW_ENTRIES)
    html = cache.get(key)
    if html is None:
        html = render_row(row, now, show_assignee, CSRF_MARK)
        cache.put(key, html)
    return Markup(html.replace(CSRF_MARK, generate_csrf()))  # noqa: S704 - rendered by Jinja; the token is URL-safe
