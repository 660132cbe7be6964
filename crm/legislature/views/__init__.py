"""Legislature pages, by topic: the directory, profiles, aides, imports and the structure (the blueprint is
crm.legislature.bp)."""

from crm.legislature.views import aides, directory, imports, picker, profile, structure  # noqa: F401  (each registers its routes)
