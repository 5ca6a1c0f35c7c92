"""Sending e-mail through the organisation's SMTP server (``PEYVAND_SMTP_*``).

Only outbox jobs call :func:`send_mail`, so a message goes out after the transaction that asked
for it commits, with the outbox's retries. The outbox's message id becomes the e-mail's
Message-ID: a retry after a lost answer is recognisable as the same message by the far side.

:func:`build_mail` makes the message alone (a plain body; with ``html`` a multipart/alternative
of both, the plain part first as RFC 2046 wants, so a client that cannot show HTML shows the
text; attachments; Reply-To and extra headers). :func:`deliver` sends built messages over one
SMTP connection: a bulk send does not open a connection per message.
"""

from __future__ import annotations

import smtplib
from collections.abc import Iterable, Mapping, Sequence
from email.message import EmailMessage
from email.utils import formatdate

from kernel.config import Config


class MailNotConfigured(RuntimeError):
    """No SMTP server is set: the message stays failed on /admin/jobs until one is."""


def mail_enabled(config: Config) -> bool:
    return bool(config.smtp_host and config.smtp_from)


def mail_domain(config: Config) -> str:
    return config.smtp_from.rsplit("@", 1)[-1].strip("> ") or "peyvand"


def build_mail(config: Config, to: str, subject: str, body: str, *, message_id: str = "", html: str = "",
               attachments: Sequence[tuple[str, str, bytes]] = (), reply_to: str = "",
               headers: Mapping[str, str] | None = None) -> EmailMessage:
    """One message; ``attachments`` are ``(file name, MIME type, bytes)``, e.g. a printed
    invoice ``("Invoice INV-1405-00012.pdf", "application/pdf", pdf)``."""
    msg = EmailMessage()
    msg["From"] = config.smtp_from
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    if message_id:
        msg["Message-ID"] = f"<{message_id}@{mail_domain(config)}>"
    if reply_to:
        msg["Reply-To"] = reply_to
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body, charset="utf-8")
    if html:
        msg.add_alternative(html, subtype="html", charset="utf-8")
    for filename, mime, content in attachments:
        maintype, _, subtype = mime.partition("/")
        msg.add_attachment(content, maintype=maintype, subtype=subtype or "octet-stream", filename=filename)
    return msg


def deliver(config: Config, messages: Iterable[EmailMessage]) -> Iterable[tuple[EmailMessage, Exception | None]]:
    """Send each message over one connection, yielding it with None or the SMTP error that
    refused it (``smtplib.SMTPResponseException`` carries ``smtp_code``: 4xx may pass, 5xx will
    not). A failure to connect or a dropped connection raises (``OSError``,
    ``smtplib.SMTPException``): what is left is not sent, and the caller retries it later."""
    if not mail_enabled(config):
        raise MailNotConfigured("e-mail is not configured: set PEYVAND_SMTP_HOST and PEYVAND_SMTP_FROM")
    with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=30) as smtp:
        if config.smtp_starttls:
            smtp.starttls()
        if config.smtp_user:
            smtp.login(config.smtp_user, config.smtp_password)
        for msg in messages:
            try:
                refused = smtp.send_message(msg)
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = next(iter(exc.recipients.values()), (550, b"refused"))
                yield msg, smtplib.SMTPResponseException(code, text)
                smtp.rset()
                continue
            except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
                yield msg, exc
                smtp.rset()
                continue
            if refused:  # some of several recipients refused; ours is one address
                code, text = next(iter(refused.values()))
                yield msg, smtplib.SMTPResponseException(code, text)
            else:
                yield msg, None


def send_mail(config: Config, to: str, subject: str, body: str, *, message_id: str = "", html: str = "",
              attachments: Sequence[tuple[str, str, bytes]] = (), reply_to: str = "",
              headers: Mapping[str, str] | None = None) -> None:
    """Send one message (see :func:`build_mail`); an SMTP refusal raises."""
    if not mail_enabled(config):
        raise MailNotConfigured("e-mail is not configured: set PEYVAND_SMTP_HOST and PEYVAND_SMTP_FROM")
    msg = build_mail(config, to, subject, body, message_id=message_id, html=html, attachments=attachments,
                     reply_to=reply_to, headers=headers)
    for _, error in deliver(config, [msg]):
        if error is not None:
            raise error
