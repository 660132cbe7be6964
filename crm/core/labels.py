"""The words shown for an enum's values: one `EnumLabels` per enum, defined by the domain that owns the enum.

Pages, forms, emails, exports, the calendar feed and the audit trail all read the same object, so a value is
named with the same words everywhere. Each domain keeps its enums' labels in its `labels.py`, next to the tuple
of values, and registers one Jinja filter per enum there: templates never spell a label.

Spanish labels follow one rule: they never carry a gender that depends on who is described. A position is a
verb in the third person or a "Sin …" phrase ("Apoya", "Se opone", "Sin decidir"); a role is the name of the
office ("Presidencia"); a thing keeps its own noun's gender (a task is "Hecha", a priority is "Alta").
"""

from collections.abc import Iterable, Mapping

from flask_babel import LazyString

from crm.core.forms import choices as select_choices


class EnumLabels:
    """The lazy label of each value of one enum, in the enum's order."""

    def __init__(self, values: Iterable[str], words: Mapping[str, LazyString], *, missing: LazyString | str = ""):
        self.values = tuple(values)
        if set(self.values) != set(words):
            raise ValueError(f"labels {sorted(words)} do not match the values {sorted(self.values)}")
        self.words = dict(words)
        self.missing = missing

    def label(self, value: str | None) -> LazyString | str:
        """The lazy label of `value`; the value itself if it is not one of the enum's, `missing` if empty."""
        if value is None or value == "":
            return self.missing
        return self.words.get(value, value)

    def text(self, value: str | None) -> str:
        """The label translated now (the Jinja filter): str(label(value))."""
        return str(self.label(value))

    def choices(self, blank: LazyString | str | None = None) -> list:
        """WTForms choices in the enum's order; `blank` adds an empty first choice with that label."""
        pairs = [(value, self.words[value]) for value in self.values]
        return select_choices(([("", blank)] if blank is not None else []) + pairs)

    def filter_for(self, blueprint, name: str) -> "EnumLabels":
        """Register `text` as the app-wide Jinja filter `name` (e.g. {{ level|stance_label }})."""
        blueprint.add_app_template_filter(self.text, name)
        return self

    def translated(self) -> dict[str, str]:
        """Every label translated now, for pages that repeat them per row."""
        return {value: str(self.words[value]) for value in self.values}
