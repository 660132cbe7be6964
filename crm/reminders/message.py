"""Build the MIME message of one outbox row, with every header value forced onto one line.

A header value holding CR or LF (a task title typed with a line break, a pasted `\\r\\nReply-To: …`) would
otherwise start a new header or make the email package refuse the whole message; here it never can.
"""

from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, formataddr, make_msgid, parseaddr

from flask import current_app

from crm.core.mail import header_value

SMTP_POLICY = compat32.clone(linesep="\r\n")
# Quoted-printable keeps the .eml files and raw messages readable (base64 would hide every word).
UTF8_QP = Charset("utf-8")
UTF8_QP.body_encoding = QP


def build_message(row) -> Message:
    """A multipart/alternative message (text, then HTML). The compat32 MIME classes are used because they are
    an order of magnitude faster than EmailMessage's header registry, which matters at thousands of messages."""
    text = MIMEText(row.body_text, "plain", UTF8_QP)
    if row.body_html:
        message = MIMEMultipart("alternative")
        message.attach(text)
        message.attach(MIMEText(row.body_html, "html", UTF8_QP))
    else:
        message = text
    sender_name, sender_address = parseaddr(header_value(current_app.config["MAIL_FROM"]))
    subject = header_value(row.subject)
    message["From"] = formataddr((sender_name, sender_address), charset="utf-8")
    message["To"] = header_value(row.recipient)
    message["Subject"] = Header(subject, "utf-8").encode() if not subject.isascii() else subject
    message["Date"] = format_datetime(row.created_at)
    message["Message-ID"] = header_value(row.message_id) or make_msgid()
    message["X-Cabildeo-Kind"] = header_value(row.kind)
    if row.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{header_value(row.unsubscribe_url)}>"
        message["Auto-Submitted"] = "auto-generated"
    return message


def message_bytes(message: Message) -> bytes:
    """The wire form, with the CRLF line endings SMTP requires (smtplib leaves bytes as they are)."""
    return message.as_bytes(policy=SMTP_POLICY)
