"""`flask crm going-cold`: the persuadables nobody has contacted lately, for scripts and cron mail."""

import click
from flask.cli import with_appcontext

from crm.campaigns.models import DEFAULT_COLD_DAYS, Campaign
from crm.core.database import reading_only
from crm.extensions import db
from crm.outreach.queries import going_cold


def register(group) -> None:
    @group.command("going-cold")
    @click.option("--campaign", "campaign_id", type=int, required=True, help="Campaign id.")
    @with_appcontext
    @reading_only()
    def going_cold_command(campaign_id):
        """List target legislators with no contact in the campaign's going-cold window."""
        campaign = db.session.get(Campaign, campaign_id)
        if campaign is None:
            raise click.ClickException(f"No campaign with id {campaign_id}.")
        rows = going_cold(campaign_id)
        click.echo(f"{campaign.name}: {len(rows)} going cold (no contact in {campaign.going_cold_days or DEFAULT_COLD_DAYS} days)")
        for row in rows:
            last = row.last_contact.date().isoformat() if row.last_contact else "never"
            click.echo(f"  {row.legislator_id:>6}  {row.name:<40} {row.level or '-':<12} {last:<10}  {row.owner_name or '-'}")
