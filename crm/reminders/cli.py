"""`flask crm scheduler`, `flask crm sender` and `flask crm run-reminders`.

Nothing here imports APScheduler at module level: creating the app must not touch the scheduler.
"""

import signal
import sys
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from crm.extensions import db
from crm.reminders import jobs, sender


def register(group: click.Group) -> None:
    @group.command("scheduler")
    @with_appcontext
    def scheduler_command():
        """Run the reminder scheduler in the foreground (one per installation) until Ctrl-C or SIGTERM."""
        # Here, not at the top: web workers load this CLI, and the scheduler module imports APScheduler.
        from crm.reminders.scheduler import run_scheduler

        app = current_app._get_current_object()
        sys.exit(run_scheduler(app, echo=click.echo))

    @group.command("sender")
    @click.option("--once", is_flag=True, help="Deliver everything due now, then exit.")
    @click.option("--interval", default=5.0, show_default=True, help="Seconds to wait when the outbox is empty.")
    @with_appcontext
    def sender_command(once, interval):
        """Deliver the outbox over SMTP (or to .eml files when SMTP_HOST is empty). Several may run at once."""
        if once:
            stats = sender.deliver_all()
            click.echo(f"sent {stats.sent}, retry later {stats.retried}, failed {stats.failed}")
            return
        stop = threading.Event()
        previous = {sig: signal.signal(sig, lambda *_a: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            sender.run_forever(stop, interval=interval, echo=click.echo)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    @group.command("run-reminders")
    @with_appcontext
    def run_reminders_command():
        """Run every reminder job once now (what the scheduler does each minute)."""
        counts = jobs.run_all()
        db.session.commit()
        click.echo(", ".join(f"{name}: {count}" for name, count in counts.items()))
