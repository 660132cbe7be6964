"""Domain events: operations announce what changed; higher layers (webhooks) listen.

A receiver runs inside the operation's transaction, so whatever it writes (a webhook delivery row) commits or
rolls back with the change itself. Domains import only this module, never their listeners.
"""

from blinker import Namespace

_signals = Namespace()

# Sent with the event name as sender and the changed object as `obj`.
changed = _signals.signal("crm.changed")

EVENTS = (
    "stance.changed",
    "interaction.created",
    "interaction.updated",
    "task.created",
    "task.completed",
    "whip.changed",
    "signatures.verified",
)


def emit(event: str, obj) -> None:
    """Announce that `obj` changed as `event` (one of EVENTS)."""
    changed.send(event, obj=obj)
