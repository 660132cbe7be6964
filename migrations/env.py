"""Alembic environment: runs against the app's engine and model metadata."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from crm.search.models import is_schema_object

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

extension = current_app.extensions["migrate"]
metadata = extension.db.metadata
options = dict(extension.configure_args)
options.setdefault("render_as_batch", True)
options.setdefault("compare_type", True)
# The full-text engine's own objects (FTS5 tables, tsvector columns) are not models: autogenerate leaves them.
options.setdefault("include_object", is_schema_object)


def run_migrations_offline() -> None:
    context.configure(url=str(extension.db.engine.url), target_metadata=metadata, literal_binds=True, **options)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def skip_empty(ctx, revision, directives):
        # `flask db migrate` with no model changes writes no empty revision.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []

    with extension.db.engine.connect() as connection:
        context.configure(
            connection=connection, target_metadata=metadata, process_revision_directives=skip_empty, **options
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
