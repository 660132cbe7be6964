"""Helpers for WTForms: WTForms 3.3 deprecates (value, label) tuples as select choices."""

from wtforms import SelectChoice


def choices(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs, e.g. query rows, into SelectChoice objects."""
    return [SelectChoice(value, label) for value, label in pairs]
