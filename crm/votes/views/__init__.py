"""The votes pages; each module adds its routes to the blueprint."""

from crm.votes.views import bills, events, forecast, imports, scorecards  # noqa: F401
