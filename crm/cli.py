"""`flask crm ...` commands. Each domain adds its own through a register(group) function."""

import importlib

import click
from flask.cli import AppGroup, with_appcontext

from crm.demo import database_is_empty, load_demo, print_logins

crm_cli = AppGroup("crm", help="Cabildeo administration commands.")

DOMAIN_CLI_MODULES = (
    "crm.accounts.cli",
    "crm.legislature.cli",
    "crm.campaigns.cli",
    "crm.outreach.cli",
    "crm.reminders.cli",
    "crm.coalition.cli",
    "crm.votes.cli",
    "crm.ops.cli",
    "crm.api.cli",
    "crm.search.cli",
)

for _name in DOMAIN_CLI_MODULES:
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as error:
        if error.name != _name:
            raise
        continue
    _module.register(crm_cli)


@crm_cli.command("setup")
@click.option("--demo/--no-demo", default=True, help="Load the demo data when the database is empty.")
@with_appcontext
def setup_command(demo):
    """Upgrade the database to the latest migration and load the demo data into an empty one."""
    from flask_migrate import upgrade

    upgrade()
    if demo and database_is_empty():
        click.echo("Loading demo data…")
        load_demo(progress=click.echo)
    print_logins(click.echo)


@crm_cli.command("load-demo")
@with_appcontext
def load_demo_command():
    """Load the demo data (refuses when the database already has users)."""
    if not database_is_empty():
        raise click.ClickException("The database already has data; demo data is only loaded into an empty one.")
    load_demo(progress=click.echo)
