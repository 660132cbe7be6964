"""What outreach's writes share: the refusal they raise, and how they tidy free text."""


class OutreachError(ValueError):
    """A refusal the user can act on; the message is already translated. `field` names the culprit."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field



def clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None
