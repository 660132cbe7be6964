"""`flask crm whip-count`: the whip count of every stage of a campaign, for scripts and quick checks."""

from datetime import date

import click
from flask.cli import with_appcontext

from crm.campaigns import queries, stance
from crm.core.database import reading_only
from crm.core.time import DEFAULT_TIMEZONE, local_today


def register(group: click.Group) -> None:
    @group.command("whip-count")
    @click.argument("campaign_id", type=int)
    @click.option("--as-of", "as_of", default=None, help="Count as of this day (YYYY-MM-DD, America/Lima); default today.")
    @with_appcontext
    @reading_only()
    def whip_count_command(campaign_id, as_of):
        """Print secured, likely and needed votes for each stage of CAMPAIGN_ID."""
        try:
            day = date.fromisoformat(as_of) if as_of else local_today(DEFAULT_TIMEZONE)
        except ValueError as error:
            raise click.BadParameter("use YYYY-MM-DD", param_hint="--as-of") from error
        if day > local_today(DEFAULT_TIMEZONE):
            raise click.BadParameter("a future day has no count yet; give today or a past day", param_hint="--as-of")
        campaign, bodies = queries.campaign_with_bodies(campaign_id)
        if campaign is None:
            raise click.ClickException(f"No campaign {campaign_id}")
        cutoff = stance.cutoff_for_day(day, DEFAULT_TIMEZONE)
        click.echo(f"{campaign.name} — {day.isoformat()}")
        for body in bodies:
            count = queries.whip_count(campaign, body, day, cutoff)
            click.echo(
                f"  {body.stage.position}. {body.stage.name}: secured {count.secured}, likely {count.likely}, "
                f"needed {count.needed} of {count.seats} (gap {count.gap_secured}); members {len(count.members)}"
            )
