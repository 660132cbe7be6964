"""Demo data for the legislature domain; everything invented is flagged is_demo."""


def load(context: dict) -> None:
    """Add this domain's demo rows to the session; crm.demo commits once at the end."""
