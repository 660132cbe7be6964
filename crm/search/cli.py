"""`flask crm search-rebuild`: index every object again (after a restore from an old backup, for example)."""

import click
from flask.cli import with_appcontext

from crm.extensions import db
from crm.search import documents


def register(group) -> None:
    @group.command("search-rebuild")
    @with_appcontext
    def search_rebuild():
        """Rebuild the search index from the data, in one transaction."""
        total = documents.rebuild(db.session.connection())
        db.session.commit()
        click.echo(f"Indexed {total} objects.")
