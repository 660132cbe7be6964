"""Outreach pages, by topic: interactions, the quick log, tasks, and feeds (timeline, going cold, calendar);
the blueprint is crm.outreach.bp."""

from crm.outreach.views import feeds, interactions, quick_log, tasks  # noqa: F401  (each registers its routes)
