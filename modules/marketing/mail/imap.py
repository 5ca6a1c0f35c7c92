"""Inbound e-mail (MKT-07): the periodic job that reads the organisation's mailbox over IMAP
(imap-tools) and hands each new mail to :func:`modules.marketing.inbound.receive` (matched to a
partner by the lower-cased address, logged as an inbound communication, or left in the inbox),
or, when it is a bounce report of ours, to :mod:`.bounces`.

Where the mailbox is: the setting ``marketing.imap`` (a dict with host, port, user, password,
ssl, folder), else the environment ``PEYVAND_IMAP_HOST``, ``_PORT``, ``_USER``, ``_PASSWORD``,
``_SSL`` (``1``: IMAPS, the default on port 993), ``_FOLDER`` (INBOX). No host: the job does
nothing.

Each mail is fetched once: the last UID read is kept (setting ``marketing.imap_state``, with the
folder's UIDVALIDITY — a new UIDVALIDITY means the server renumbered the folder, and it is read
from the start, the Message-ID keeping each mail logged once). Mail is not marked read nor
deleted: the mailbox stays the organisation's."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kernel import utcnow
from modules.marketing import inbound
from modules.marketing.mail import addresses, bounces

SETTING = "marketing.imap"
STATE = "marketing.imap_state"
BATCH = 200  # mails per run: a large backlog is read over several runs, each committed


@dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    user: str
    password: str
    ssl: bool = True
    folder: str = "INBOX"

    @property
    def source(self) -> str:
        return f"imap:{self.user}@{self.host}/{self.folder}"[:80]


def mailbox_of(kernel: Any, session: Session) -> Mailbox | None:
    saved = kernel.setting(session, SETTING, None) or {}
    env = os.environ
    host = str(saved.get("host") or env.get("PEYVAND_IMAP_HOST", ""))
    if not host:
        return None
    ssl = str(saved.get("ssl", env.get("PEYVAND_IMAP_SSL", "1"))) in ("1", "True", "true")
    port = int(saved.get("port") or env.get("PEYVAND_IMAP_PORT") or (993 if ssl else 143))
    return Mailbox(host, port, str(saved.get("user") or env.get("PEYVAND_IMAP_USER", "")),
                   str(saved.get("password") or env.get("PEYVAND_IMAP_PASSWORD", "")), ssl,
                   str(saved.get("folder") or env.get("PEYVAND_IMAP_FOLDER", "INBOX")))


def _connect(box: Mailbox) -> Any:
    from imap_tools import MailBox, MailBoxUnencrypted

    client = MailBox(box.host, box.port) if box.ssl else MailBoxUnencrypted(box.host, box.port)
    return client.login(box.user, box.password, initial_folder=box.folder)


def _naive_utc(when: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    if when is None or when.year < 2000:  # no or an unreadable Date header
        return now
    if when.tzinfo is None:
        return when
    return when.astimezone(dt.UTC).replace(tzinfo=None)


def poll_mailbox(kernel: Any, session: Session, now: dt.datetime | None = None) -> int:
    """Read the mail that came since the last run; how many were read."""
    from imap_tools import AND, U

    now = now or utcnow()
    box = mailbox_of(kernel, session)
    if box is None:
        return 0
    state = kernel.setting(session, STATE, None) or {}
    mine = state.get(box.source) or {}
    with _connect(box) as client:
        validity = str(client.folder.status(box.folder, ["UIDVALIDITY"]).get("UIDVALIDITY", ""))
        last = int(mine.get("last_uid", 0)) if str(mine.get("uidvalidity", "")) == validity else 0
        read = 0
        for msg in client.fetch(AND(uid=U(str(last + 1), "*")), mark_seen=False, bulk=True, limit=BATCH):
            uid = int(msg.uid or 0)
            if uid <= last:  # "n:*" answers the last mail even when none is newer
                continue
            _take(kernel, session, box, msg, validity, now)
            last, read = max(last, uid), read + 1
    kernel.set_setting(session, STATE, {**state, box.source: {"uidvalidity": validity, "last_uid": last}})
    return read


def _take(kernel: Any, session: Session, box: Mailbox, msg: Any, validity: str, now: dt.datetime) -> None:
    sender = addresses.normalise(msg.from_)
    if bounces.is_report(msg.obj, sender) and bounces.apply(kernel, session, msg.obj, now):
        return
    message_id = str(msg.obj.get("Message-ID") or "").strip() or f"uid:{validity}:{msg.uid}"
    body = (msg.text or "").strip() or _text_of_html(msg.html or "")
    inbound.receive(kernel, session, channel="email", source=box.source, provider_id=message_id[:200],
                    address=sender, body=body, received_at=_naive_utc(msg.date, now),
                    to_line=(msg.to[0] if msg.to else None), subject=(msg.subject or "")[:300] or None)


def _text_of_html(html: str) -> str:
    """An HTML-only mail's words, for the log (its markup is never shown as markup)."""
    import re
    from html import unescape

    text = re.sub(r"(?is)<(script|style).*?</\1>", " ", html)
    text = re.sub(r"(?i)<br\s*/?>|</p>", "\n", text)
    return unescape(re.sub(r"<[^>]+>", " ", text)).strip()
