"""Coalition pages, by topic: partners, petition drives, signature batches, media mentions (the blueprint is
crm.coalition.bp)."""

from crm.coalition.views import batches, drives, mentions, partners  # noqa: F401  (each registers its routes)
