"""A task's list item is rendered once per version of its row: the cached item must be what the macro writes, and
its key must change whenever anything the macro shows changes."""

from datetime import UTC, datetime, timedelta

from flask import render_template_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect

from crm.outreach.models import Task
from crm.outreach.task_rows import render_row, row_key, task_row

NOW = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
DIRECT = ('{% from "outreach/_task_macros.html" import task_item with context %}'
          "{{ task_item(row, now, csrf_token(), show_assignee) }}")

def _as_joined(parts):
    task, legislator_name, campaign_name, assignee_name = parts
    # As the query joins them: a legislator's name only when the task names one.
    return (task, legislator_name if task.legislator_id else None, campaign_name, assignee_name)


rows = st.tuples(
    st.builds(
        Task,
        id=st.integers(1, 10**6),
        title=st.text(min_size=1, max_size=40),
        status=st.sampled_from(["open", "done", "cancelled"]),
        priority=st.sampled_from(["low", "normal", "high"]),
        due_at=st.none() | st.integers(-72, 72).map(lambda hours: NOW + timedelta(hours=hours)),
        legislator_id=st.none() | st.integers(1, 10**6),
    ),
    st.none() | st.text(min_size=1, max_size=30),
    st.none() | st.text(min_size=1, max_size=30),
    st.none() | st.text(min_size=1, max_size=30),
).map(_as_joined)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=rows, show_assignee=st.booleans(), language=st.sampled_from(["es_PE", "en"]))
def test_a_cached_row_is_what_the_macro_writes(app, row, show_assignee, language):
    with app.test_request_context("/tasks", headers={"Cookie": f"lang={language}"}):
        direct = render_template_string(DIRECT, row=row, now=NOW, show_assignee=show_assignee)
        assert str(task_row(row, NOW, show_assignee)) == direct
        assert str(task_row(row, NOW, show_assignee)) == direct  # from the cache this time


def _other(value, column):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, datetime):
        return value - timedelta(days=3)
    if column.name in ("status", "priority"):
        return {"open": "done", "done": "open", "normal": "high", "high": "normal"}[value]
    return (value or "") + "x"


def test_every_field_the_item_shows_is_in_its_key(app):
    base = Task(id=7, title="Enviar el informe", description="Notas", status="open", priority="normal",
                due_at=NOW + timedelta(hours=5), legislator_id=3, campaign_id=2, assignee_id=4, interaction_id=5,
                created_by_id=4, completed_by_id=None, completed_at=None, created_at=NOW, is_demo=False)
    base_row = (base, "Rosa Mavila", "Dejala Decidir", "Óscar Oficial")
    with app.test_request_context("/tasks"):
        variants = []
        for column in inspect(Task).columns:
            task = Task(**{c.key: getattr(base, c.key) for c in inspect(Task).columns})
            setattr(task, column.key, _other(getattr(base, column.key), column))
            variants.append(((task, *base_row[1:]), NOW))
        for index in (1, 2, 3):
            variants.append(((*base_row[:index], base_row[index] + " B", *base_row[index + 1:]), NOW))
        variants.append((base_row, NOW + timedelta(hours=6)))  # now overdue
        for show_assignee in (False, True):
            shown = render_row(base_row, NOW, show_assignee, "token")
            key = row_key(base_row, NOW, show_assignee)
            for row, now in variants:
                if render_row(row, now, show_assignee, "token") != shown:
                    assert row_key(row, now, show_assignee) != key, (row, now, show_assignee)
