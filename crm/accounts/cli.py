import click
from flask.cli import with_appcontext

from crm.accounts import operations
from crm.core.permissions import Role
from crm.extensions import db


def register(group: click.Group) -> None:
    @group.command("create-user")
    @click.option("--email", required=True)
    @click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
    @click.option("--name", default=None)
    @click.option("--password", default=None, help="Prompted for when omitted.")
    @with_appcontext
    def create_user_command(email, role, name, password):
        """Create a user who can log in straight away."""
        if password is None:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            user = operations.create_user(email=email, name=name, role=role, password=password)
        except operations.AccountError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from error
        db.session.commit()
        click.echo(f"Created {user.role} {user.email}")
