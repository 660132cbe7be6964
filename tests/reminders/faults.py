"""Helpers shared by the delivery fault tests and bench/faults.py: a slow SMTP server and outbox counts."""

import asyncio
import email
import email.policy
import threading
from collections import Counter

from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from crm.extensions import db
from crm.reminders.models import OutboundEmail


class SlowHandler:
    """An SMTP server that takes `delay` seconds per message, like a real one that writes to disk.

    It keeps the message as soon as the data has arrived, then waits before answering 250: a client killed in
    that wait has had its message accepted without learning it (the worst case for duplicates).
    Scripted replies: `refuse_rcpt(address)` -> a reply or None; `temporary` -> a reply for every RCPT.
    """

    def __init__(self, delay: float = 0.1):
        self.delay = delay
        self.messages: list = []
        self.lock = threading.Lock()
        self.in_data = threading.Event()
        self.temporary: str | None = None
        self.refuse = lambda address: None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.temporary or self.refuse(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        self.in_data.set()
        await asyncio.sleep(self.delay)
        self.in_data.clear()
        return "250 Message accepted"

    def copies(self) -> Counter:
        with self.lock:
            return Counter(m["Message-ID"] for m in self.messages)


def start_server(handler, port: int) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


def outbox_counts() -> dict:
    counts = dict(db.session.execute(select(OutboundEmail.status, func.count()).group_by(OutboundEmail.status)).all())
    counts["possibly_duplicated"] = db.session.execute(
        select(func.count()).where(OutboundEmail.unknown_outcomes > 0)
    ).scalar_one()
    return counts


def flagged_message_ids() -> set[str]:
    return set(db.session.execute(select(OutboundEmail.message_id).where(OutboundEmail.unknown_outcomes > 0)).scalars())
