"""`flask crm migrate-to-postgres` keeps every row, id and relationship, and refuses a non-empty target."""

from sqlalchemy import select, text

from crm.campaigns.models import StanceAssessment
from crm.extensions import db
from crm.legislature.models import Committee
from crm.ops import backup
from crm.outreach.models import Interaction, Task, interaction_legislators
from tests.ops.seed import seed
from tests.ops.writers import write_one


def _snapshot(app):
    with app.app_context(), db.engine.connect() as connection:
        return {
            "counts": backup.table_counts(connection, db.metadata),
            "committees": connection.execute(select(Committee.id, Committee.parent_id).order_by(Committee.id)).all(),
            "stances": connection.execute(
                select(StanceAssessment.id, StanceAssessment.legislator_id, StanceAssessment.level,
                       StanceAssessment.assessed_at).order_by(StanceAssessment.id)).all(),
            "links": connection.execute(select(interaction_legislators).order_by(*interaction_legislators.c)).all(),
            "tasks": connection.execute(
                select(Task.id, Task.interaction_id, Task.assignee_id, Task.due_at).order_by(Task.id)).all(),
            "notes": connection.execute(select(Interaction.notes)).scalars().all(),
        }


def test_copies_every_row_id_and_relationship(sqlite_app, app_for, postgres_database):
    with sqlite_app.app_context():
        ids = seed(legislators=30)
        for n in range(5):
            write_one("migrated", n)
    before = _snapshot(sqlite_app)

    result = sqlite_app.test_cli_runner().invoke(args=["crm", "migrate-to-postgres", postgres_database])
    assert result.exit_code == 0, result.output
    assert "All 29 tables match" in result.output or "tables match" in result.output
    assert "stance_assessments" in result.output

    target = app_for(postgres_database, create=False)
    after = _snapshot(target)
    assert after == before
    assert (ids["child_committee"], ids["parent_committee"]) in after["committees"]
    # Sequences continue after the copied ids: new rows get fresh ids instead of colliding.
    with target.app_context():
        write_one("after the move", 0)
        newest = db.session.execute(select(Task.id).order_by(Task.id.desc())).scalars().first()
        assert newest == max(row.id for row in before["tasks"]) + 1
        version = db.session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        assert version  # stamped, so `flask db upgrade` continues from the current schema


def test_refuses_a_target_that_already_has_rows(sqlite_app, app_for, postgres_database):
    with sqlite_app.app_context():
        seed(legislators=3)
    busy = app_for(postgres_database)
    with busy.app_context():
        write_one("already here", 0)
    result = sqlite_app.test_cli_runner().invoke(args=["crm", "migrate-to-postgres", postgres_database])
    assert result.exit_code != 0
    assert "not empty" in result.output
    assert _snapshot(busy)["counts"]["tasks"] == 1  # untouched


def test_refuses_a_target_that_is_not_postgres(sqlite_app, tmp_path):
    result = sqlite_app.test_cli_runner().invoke(
        args=["crm", "migrate-to-postgres", f"sqlite:///{tmp_path / 'other.sqlite3'}"])
    assert result.exit_code != 0
    assert "PostgreSQL URL" in result.output


def test_a_row_postgres_rejects_stops_the_copy_and_names_the_table(sqlite_app, app_for, postgres_database):
    with sqlite_app.app_context():
        seed(legislators=3)
        # SQLite does not enforce VARCHAR lengths; PostgreSQL does.
        db.session.execute(text("UPDATE legislators SET district = :d WHERE id = 2"), {"d": "x" * 500})
        db.session.commit()
    result = sqlite_app.test_cli_runner().invoke(args=["crm", "migrate-to-postgres", postgres_database])
    assert result.exit_code != 0
    assert "Copying legislators failed, nothing was copied" in result.output
    target = app_for(postgres_database, create=False)
    counts = _snapshot(target)["counts"]
    assert sum(counts.values()) == 0
    # Fix the row and run again: the empty schema left behind is reused.
    with sqlite_app.app_context():
        db.session.execute(text("UPDATE legislators SET district = 'Cusco' WHERE id = 2"))
        db.session.commit()
    again = sqlite_app.test_cli_runner().invoke(args=["crm", "migrate-to-postgres", postgres_database])
    assert again.exit_code == 0, again.output
    assert _snapshot(target)["counts"]["legislators"] == 3
