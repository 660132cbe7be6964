"""`flask crm webhooks`: deliver webhook rows (any number may run; they share the queue like mail senders)."""

import signal
import threading

import click
from flask.cli import with_appcontext

from crm.api.webhooks import delivery
from crm.core import leases


def register(group: click.Group) -> None:
    @group.command("webhooks")
    @click.option("--once", is_flag=True, help="Deliver everything due now, then exit.")
    @click.option("--interval", default=5.0, show_default=True, help="Seconds to wait when nothing is due.")
    @with_appcontext
    def webhooks_command(once, interval):
        """Deliver signed webhook requests, with retries and backoff."""
        owner = leases.new_owner()
        if once:
            stats = delivery.deliver_all(owner)
            click.echo(f"delivered {stats.delivered}, retry later {stats.retried}, failed {stats.failed}")
            return
        stop = threading.Event()
        previous = {sig: signal.signal(sig, lambda *_a: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            delivery.run_forever(stop, owner=owner, interval=interval, echo=click.echo)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
