"""Bounce reports (MKT-03): a delivery status notification (``multipart/report;
report-type=delivery-status``, RFC 3464) or a mailer-daemon's message quoting the original
marks the original message ``failed`` with the reason the remote server gave.

The original is found by its Message-ID, ``<marketing-<id>@<our domain>>`` (:mod:`.consumer`),
quoted in the report's headers or returned text; a report naming no message of ours is an
ordinary inbound mail (it waits in the inbox)."""

from __future__ import annotations

import datetime as dt
import re
from email.message import Message as EmailMessage
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel.mail import mail_domain
from modules.marketing.mail.consumer import BOUNCED
from modules.marketing.models import Message
from modules.marketing.sending.consumer import _finish_sends
from modules.marketing.sending.states import Change, move

_DAEMONS = ("mailer-daemon@", "postmaster@")
_FIELD = re.compile(r"^(Diagnostic-Code|Status|Action):\s*(.+)$", re.IGNORECASE | re.MULTILINE)


def is_report(msg: EmailMessage, sender: str) -> bool:
    if msg.get_content_type() == "multipart/report":
        return True
    return sender.lower().startswith(_DAEMONS)


def _raw(msg: EmailMessage) -> str:
    try:
        return msg.as_string()
    except (UnicodeError, LookupError):  # an odd charset in a returned part: its bytes, leniently
        return msg.as_bytes().decode("utf-8", "replace")


def original_ids(kernel: Any, msg: EmailMessage) -> list[int]:
    """Our messages the report names (its own Message-ID aside)."""
    pattern = re.compile(r"<marketing-(\d+)@" + re.escape(mail_domain(kernel.config)) + ">", re.IGNORECASE)
    own = str(msg.get("Message-ID") or "")
    return list(dict.fromkeys(int(m) for m in pattern.findall(_raw(msg).replace(own, ""))))


def reason_of(msg: EmailMessage) -> str:
    """The remote server's words: the report's Diagnostic-Code (else its Status), else the
    subject of the mailer-daemon's message."""
    fields = {k.lower(): v.strip() for k, v in _FIELD.findall(_raw(msg))}
    return (fields.get("diagnostic-code") or fields.get("status") or str(msg.get("Subject") or "")).strip()[:500]


def apply(kernel: Any, session: Session, msg: EmailMessage, now: dt.datetime) -> int:
    """Mark the messages the report names as bounced; how many were ours (0: not a bounce of ours)."""
    ids = original_ids(kernel, msg)
    if not ids:
        return 0
    found = list(session.scalars(select(Message.id).where(Message.id.in_(ids), Message.channel == "email")))
    if not found:
        return 0
    error = kernel.t("fa", BOUNCED, reason=reason_of(msg))
    move(kernel, session, [Change(i, "failed", error=error) for i in found], now)
    _finish_sends(session, found)
    return len(found)
