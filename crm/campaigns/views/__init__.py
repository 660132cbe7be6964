"""Campaign pages, by topic: campaigns and stages, the whip count, stance updates (the blueprint is crm.campaigns.bp)."""

from crm.campaigns import board_shortcut  # noqa: F401  (registers its hook)
from crm.campaigns.views import campaigns, common, stances, whip  # noqa: F401  (each registers its routes)
