"""Read-side queries for the votes pages."""

from crm.votes.queries import bills, forecast, scorecards

__all__ = ["bills", "forecast", "scorecards"]
