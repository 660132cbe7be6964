"""The migrations build exactly the schema the models describe, and can be undone and redone."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from crm.extensions import NAMING_CONVENTION, db
from crm.search.models import is_schema_object
from tests.conftest import make_app
from tests.foundation.conftest import dispose


def _differences() -> list:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True,
                                                         "include_object": is_schema_object})
        return compare_metadata(context, db.metadata)


def _tables() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def test_upgrade_matches_models_then_downgrade_and_upgrade_again(fresh_database_url, tmp_path):
    application = make_app(fresh_database_url, MAIL_FILE_DIR=str(tmp_path / "mail"))
    model_tables = set(db.metadata.tables)
    try:
        with application.app_context():
            assert _tables() == set(), "the test starts from an empty database"

            upgrade()
            assert model_tables <= _tables()
            assert _differences() == [], "autogenerate would change the schema: regenerate the migration"

            downgrade(revision="base")
            assert _tables() <= {"alembic_version"}, "downgrade to base leaves no application table"

            upgrade()
            assert model_tables <= _tables()
            assert _differences() == []
    finally:
        dispose(application)


def test_constraints_follow_the_naming_convention():
    assert db.metadata.naming_convention == NAMING_CONVENTION
    for table in db.metadata.tables.values():
        for key in table.foreign_keys:
            assert key.constraint.name.startswith("fk_"), key
        assert table.primary_key.name == f"pk_{table.name}"


def test_migrations_run_in_batch_mode_for_sqlite(app):
    configure = app.extensions["migrate"].configure_args
    assert configure.get("render_as_batch") is True
    assert configure.get("compare_type") is True
