"""Where a message goes: an SMTP server, or .eml files when none is configured (a laptop)."""

import logging
import smtplib
from email.message import Message
from email.utils import parseaddr
from pathlib import Path

from flask import current_app

from crm.reminders.message import message_bytes

log = logging.getLogger(__name__)


class PermanentFailure(Exception):
    """A 5xx reply: the message will never be accepted as it is."""


class TemporaryFailure(Exception):
    """A 4xx reply, a timeout or a broken connection: try again later."""

    def __init__(self, message: str, *, connection: bool = False, unknown: bool = False):
        super().__init__(message)
        # True when the server could not be reached or dropped us: the rest of the batch would fail the same way.
        self.connection = connection
        # True when the connection broke after the message was sent but before the server's reply: it may have
        # been accepted, so the retry may be a second copy.
        self.unknown = unknown


class FileTransport:
    """No SMTP server configured: write each message as an .eml file (the file name is fixed per row)."""

    def __init__(self, directory: str):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    def describe(self) -> str:
        return f"files in {self.directory}"

    def send(self, row, message: Message) -> None:
        stamp = row.created_at.strftime("%Y%m%dT%H%M%SZ")
        target = self.directory / f"{stamp}-{row.id:08d}-{row.kind}.eml"
        partial = target.with_suffix(".eml.part")
        partial.write_bytes(message.as_bytes())
        partial.replace(target)

    def close(self) -> None:
        pass


class SMTPTransport:
    """One SMTP connection per batch, opened lazily and reopened after a broken connection."""

    def __init__(self, config):
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def describe(self) -> str:
        return f"SMTP {self.config['SMTP_HOST']}:{self.config['SMTP_PORT']}"

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        timeout = cfg.get("SMTP_TIMEOUT", 20)
        if cfg.get("SMTP_SSL"):
            connection = smtplib.SMTP_SSL(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=timeout)
        else:
            connection = smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=timeout)
            connection.ehlo()
            if cfg.get("SMTP_STARTTLS"):
                if connection.has_extn("starttls"):
                    connection.starttls()
                    connection.ehlo()
                elif cfg.get("SMTP_USERNAME"):
                    connection.close()
                    raise TemporaryFailure(
                        "the server does not offer STARTTLS; refusing to send the password in clear", connection=True
                    )
        if cfg.get("SMTP_USERNAME"):
            connection.login(cfg["SMTP_USERNAME"], cfg.get("SMTP_PASSWORD", ""))
        return connection

    def _transaction(self, envelope_from: str, recipient: str, data: bytes) -> None:
        """smtplib's sendmail for one recipient, noting when the message itself is on its way."""
        connection = self.connection
        connection.ehlo_or_helo_if_needed()
        code, reply = connection.mail(envelope_from)
        if code != 250:
            self._reset_quietly()
            raise smtplib.SMTPSenderRefused(code, reply, envelope_from)
        code, reply = connection.rcpt(recipient)
        if code not in (250, 251):
            # Like smtplib's sendmail: RSET, so the next message's MAIL FROM is not a "nested MAIL command".
            self._reset_quietly()
            raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
        self.in_data = True
        code, reply = connection.data(data)
        if code != 250:
            self._reset_quietly()
            raise smtplib.SMTPDataError(code, reply)

    def _reset_quietly(self) -> None:
        try:
            self.connection.rset()
        except smtplib.SMTPServerDisconnected:
            pass

    def send(self, row, message: Message) -> None:
        self.in_data = False
        try:
            if self.connection is None:
                self.connection = self._connect()
            envelope_from = parseaddr(current_app.config["MAIL_FROM"])[1]
            self._transaction(envelope_from, row.recipient, message_bytes(message))
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            self._raise_for(code, reply)
        except smtplib.SMTPAuthenticationError as error:
            # A wrong password is the operator's problem, not the message's: keep the mail and retry.
            self.close()
            raise TemporaryFailure(f"{error.smtp_code} {_text(error.smtp_error)}", connection=True) from error
        except smtplib.SMTPConnectError as error:
            # Refused at the greeting: the server, not this message, is the problem.
            self.close()
            raise TemporaryFailure(f"{error.smtp_code} {_text(error.smtp_error)}", connection=True) from error
        except smtplib.SMTPResponseException as error:
            if error.smtp_code >= 500:
                self._reset()
            else:
                self.close()
            self._raise_for(error.smtp_code, error.smtp_error)
        except (smtplib.SMTPException, OSError) as error:
            # OSError covers DNS (socket.gaierror), refused connections and timeouts.
            self.close()
            text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            raise TemporaryFailure(text, connection=True, unknown=self.in_data) from error

    @staticmethod
    def _raise_for(code: int, reply) -> None:
        text = f"{code} {_text(reply)}"
        if 500 <= code < 600:
            raise PermanentFailure(text)
        # 421: the server is closing the connection (shutting down, overloaded).
        raise TemporaryFailure(text, connection=code == 421)

    def _reset(self) -> None:
        # After a refused message the connection is still usable; RSET clears the half-built transaction.
        try:
            if self.connection is not None:
                self.connection.rset()
        except (smtplib.SMTPException, OSError):
            self.close()

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                try:
                    self.connection.close()
                except OSError:
                    pass
            self.connection = None


def _text(reply) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def make_transport():
    config = current_app.config
    if config.get("SMTP_HOST"):
        return SMTPTransport(config)
    directory = config.get("MAIL_FILE_DIR")
    if not directory:
        raise RuntimeError("Neither SMTP_HOST nor MAIL_FILE_DIR is configured; mail cannot be delivered.")
    return FileTransport(directory)
