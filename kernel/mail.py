"""Sending e-mail through the organisation's SMTP server (``PEYVAND_SMTP_*``).

Only outbox jobs call :func:`send_mail`, so a message goes out after the transaction that asked
for it commits, with the outbox's retries. The outbox's message id becomes the e-mail's
Message-ID: a retry after a lost answer is recognisable as the same message by the far side.
"""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from email.message import EmailMessage

from kernel.config import Config


class MailNotConfigured(RuntimeError):
    """No SMTP server is set: the message stays failed on /admin/jobs until one is."""


def mail_enabled(config: Config) -> bool:
    return bool(config.smtp_host and config.smtp_from)


def send_mail(config: Config, to: str, subject: str, body: str, *, message_id: str = "",
              attachments: Sequence[tuple[str, str, bytes]] = ()) -> None:
    """Send one message; ``attachments`` are ``(file name, MIME type, bytes)``, e.g. a printed
    invoice ``("Invoice INV-1405-00012.pdf", "application/pdf", pdf)``."""
    if not mail_enabled(config):
        raise MailNotConfigured("e-mail is not configured: set PEYVAND_SMTP_HOST and PEYVAND_SMTP_FROM")
    msg = EmailMessage()
    msg["From"] = config.smtp_from
    msg["To"] = to
    msg["Subject"] = subject
    if message_id:
        domain = config.smtp_from.rsplit("@", 1)[-1] or "peyvand"
        msg["Message-ID"] = f"<{message_id}@{domain}>"
    msg.set_content(body, charset="utf-8")
    for filename, mime, content in attachments:
        maintype, _, subtype = mime.partition("/")
        msg.add_attachment(content, maintype=maintype, subtype=subtype or "octet-stream", filename=filename)
    with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=30) as smtp:
        if config.smtp_starttls:
            smtp.starttls()
        if config.smtp_user:
            smtp.login(config.smtp_user, config.smtp_password)
        smtp.send_message(msg)
