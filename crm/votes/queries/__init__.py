"""Read-side queries for the votes pages."""

from crm.votes.queries import bills, forecast, members, scorecards

__all__ = ["bills", "forecast", "members", "scorecards"]
