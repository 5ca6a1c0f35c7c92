"""Composing a send (MKT-02): check it, preview it, and write its messages.

A send now: the ``Send`` row, one ``Message`` per recipient — ``queued``, or ``skipped`` with the
reason in Persian (a company, no mobile, an advertising opt-out, the same mobile twice) — and
the outbox rows of its queued messages (``dispatch.queue_send``), all in the caller's
transaction: a send and its messages go out together or not at all. A send at a set time is
kept ``scheduled`` with its audience and written so by :func:`queue_due` when due.

The rules apply at queue time, so a scheduled send honours an opt-out that came in after it
was composed."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, insert, or_, select
from sqlalchemy.orm import Session

from kernel import Actor, InputError, utcnow
from kernel.persian.phones import is_mobile
from kernel.persian.textnorm import clean_input
from kernel.records import FormErrors
from kernel.timezone import local_today
from modules.marketing import audiences, placeholders
from modules.marketing.dispatch import queue_send
from modules.marketing.mail import addresses, attachments
from modules.marketing.models import Category, Message, OptOut, Send, Template
from modules.marketing.placeholders import Recipient
from modules.marketing.sms_parts import count_parts

COMPANY = "A company: an SMS goes to persons; choose its personnel"
NO_MOBILE = "No mobile number"
OPTED_OUT = "Opted out of advertising"
TWICE = "This mobile is already in this send"
NO_EMAIL = "No e-mail address"
BAD_EMAIL = "Not a valid e-mail address in the partner's record"
EMAIL_TWICE = "This e-mail address is already in this send"
NO_SMTP = "E-mail is not configured: ask the administrator to set the SMTP server (PEYVAND_SMTP_HOST)"
SUBJECT_MAX = 200
INSERT_CHUNK = 5000
# The table, not the mapped class: a Core executemany, without the ORM's per-row bulk bookkeeping
# (100,000 messages: the ORM form took a third of the send's time).
MESSAGES = cast(Table, Message.__table__)


@dataclass
class Draft:
    """What the composer sends: an audience (``audiences``), a category, a text (or a template's),
    and a time (naive UTC) or None for at once."""

    audience: Mapping[str, Any]
    category_id: int | None
    body: str = ""
    template_id: int | None = None
    scheduled_at: dt.datetime | None = None
    channel: str = "sms"  # or "email" (MKT-03)
    subject: str | None = None  # e-mail only
    files: list[attachments.File] = field(default_factory=list)  # e-mail only, stored once per send


@dataclass
class Checked:
    audience: dict[str, Any]
    category: Category
    body: str
    template_id: int | None
    channel: str = "sms"
    subject: str | None = None


@dataclass
class Tally:
    """What a send's audience comes to: counts, the reasons of the skipped, parts to be billed."""

    total: int = 0
    queued: int = 0
    parts: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


def _error(errors: dict[str, InputError], name: str, exc: InputError) -> None:
    errors.setdefault(name, exc)


def check(kernel: Any, session: Session, actor: Actor, draft: Draft, now: dt.datetime | None = None) -> Checked:
    """The draft checked field by field; every refusal at once (``FormErrors``), in Persian."""
    errors: dict[str, InputError] = {}
    audience: dict[str, Any] = {}
    try:
        audience = audiences.normalise(kernel, session, draft.audience)
    except audiences.AudienceError as exc:
        _error(errors, exc.field, exc)
    category = session.get(Category, draft.category_id) if draft.category_id else None
    if category is None or category.deleted_at is not None:
        _error(errors, "category_id", InputError("Choose a send category"))
    email = draft.channel == "email"
    body = clean_input(draft.body or "").strip()
    subject = " ".join(clean_input(draft.subject or "").split()) if email else None
    template_id = draft.template_id
    if not body and template_id:
        template = session.scalars(kernel.scoped_select(actor, Template).where(Template.id == template_id)).first()
        if template is None:
            _error(errors, "template_id", InputError("Choose one of the listed values"))
        else:
            body = template.body
            subject = subject or (template.subject if email else None)
    if email:
        _check_email(kernel, session, draft, audience, subject, errors)
    if not body:
        _error(errors, "body", InputError("Write the message or choose a template"))
    else:
        try:
            placeholders.check(body, placeholders.declared(kernel))
        except InputError as exc:
            _error(errors, "body", exc)
    if draft.scheduled_at is not None and draft.scheduled_at <= (now or utcnow()):
        _error(errors, "scheduled_at", InputError("Choose a time in the future"))
    if audience.get("kind") == "partner" and "partner_id" not in errors:
        _check_one_partner(kernel, session, actor, audience, errors, draft.channel)
    elif audience.get("kind") in ("filter", "group", "personnel"):
        try:  # the list's filters parsed now: a bad one is the form's error, not a failed send
            audiences.partners_select(kernel, session, actor, audience)
        except audiences.AudienceError as exc:
            _error(errors, exc.field, exc)
    if errors:
        raise FormErrors(errors)
    assert category is not None
    return Checked(audience, category, body, template_id, draft.channel, subject)


def _check_email(kernel: Any, session: Session, draft: Draft, audience: dict[str, Any], subject: str | None,
                 errors: dict[str, InputError]) -> None:
    """What an e-mail needs beyond an SMS: an SMTP server to go through, a subject (its
    placeholders known), recipients with addresses (not a range of mobiles), files in the limit."""
    from kernel.mail import mail_enabled

    if not mail_enabled(kernel.config):
        _error(errors, "channel", InputError(NO_SMTP))
    if not subject:
        _error(errors, "subject", InputError("Write the subject"))
    elif len(subject) > SUBJECT_MAX:
        _error(errors, "subject", InputError("At most {n} characters", n=SUBJECT_MAX))
    else:
        try:
            placeholders.check(subject, placeholders.declared(kernel))
        except InputError as exc:
            _error(errors, "subject", exc)
    if audience.get("kind") == "range":
        _error(errors, "audience", InputError("A range of mobiles is for SMS; choose partners for an e-mail"))
    refused = attachments.check(kernel, session, draft.files)
    if refused is not None:
        _error(errors, "attachment", refused)


def _check_one_partner(kernel: Any, session: Session, actor: Actor, audience: dict[str, Any],
                       errors: dict[str, InputError], channel: str = "sms") -> None:
    """One partner: it must be one the actor sees, and a person — a company is refused on the
    field with the way out (its personnel), rather than a send of one skipped message."""
    try:
        found = list(audiences.recipients(kernel, session, actor, audience))
    except audiences.AudienceError as exc:
        _error(errors, exc.field, exc)
        return
    if not found:
        _error(errors, "partner_id", InputError("Choose one of the listed values"))
    elif channel == "email":
        if not addresses.is_email(found[0].email):
            _error(errors, "partner_id", InputError("{name} has no valid e-mail address", name=found[0].name))
    elif found[0].kind == "company":
        _error(errors, "partner_id", InputError("{name} is a company: an SMS goes to persons. Send to its personnel "
                                                "instead", name=found[0].name))


def _opt_outs(session: Session, category: Category) -> tuple[set[int], set[str]]:
    """The partners and addresses that opted out of this category (or of all advertising)."""
    if not category.advertising:
        return set(), set()
    rows = session.execute(select(OptOut.partner_id, OptOut.address).where(
        OptOut.deleted_at.is_(None), or_(OptOut.category_id.is_(None), OptOut.category_id == category.id)))
    partners, addresses = set(), set()
    for pid, address in rows:
        if pid is not None:
            partners.add(pid)
        if address:
            addresses.add(address)
    return partners, addresses


def classify(session: Session, category: Category, people: Iterable[tuple[Recipient, Any]], dedupe: bool = True,
             channel: str = "sms") -> Iterator[tuple[Recipient, Any, str | None]]:
    """Each recipient (with what it is sent about) and the msgid of why it is skipped, or None
    when its message is queued. ``dedupe``: a mobile (an address) gets one message of a send."""
    opted_partners, opted_addresses = _opt_outs(session, category)
    if channel == "email":
        yield from _classify_email(people, opted_partners, opted_addresses, dedupe)
        return
    seen: set[str] = set()
    for r, about in people:
        if r.kind == "company":
            yield r, about, COMPANY
        elif not r.mobile or not is_mobile(r.mobile):
            yield r, about, NO_MOBILE
        elif r.partner_id in opted_partners or r.mobile in opted_addresses:
            yield r, about, OPTED_OUT
        elif dedupe and r.mobile in seen:
            yield r, about, TWICE
        else:
            seen.add(r.mobile)
            yield r, about, None


def _classify_email(people: Iterable[tuple[Recipient, Any]], opted_partners: set[int], opted_addresses: set[str],
                    dedupe: bool) -> Iterator[tuple[Recipient, Any, str | None]]:
    """E-mail goes to persons and companies alike (the SMS rule of FAQ 16 is about mobiles);
    a partner needs a valid address, and one address gets one message."""
    seen: set[str] = set()
    for r, about in people:
        address = addresses.normalise(r.email)
        if not address:
            yield r, about, NO_EMAIL
        elif not addresses.is_email(address):
            yield r, about, BAD_EMAIL
        elif r.partner_id in opted_partners or address in opted_addresses:
            yield r, about, OPTED_OUT
        elif dedupe and address in seen:
            yield r, about, EMAIL_TWICE
        else:
            seen.add(address)
            yield r, about, None


def plain(people: Iterable[Recipient]) -> Iterator[tuple[Recipient, Any]]:
    """Recipients of a send about nothing in particular."""
    return ((r, None) for r in people)


class Writer:
    """Fills the text per recipient and counts its parts; a text without placeholders is filled
    and counted once for the whole send."""

    def __init__(self, kernel: Any, session: Session, body: str, now: dt.datetime, channel: str = "sms",
                 subject: str | None = None) -> None:
        self.places = placeholders.declared(kernel)
        self.keys = placeholders.used(body)
        self.body = body
        self.email = channel == "email"
        self.subject = subject
        self.subject_keys = placeholders.used(subject or "")
        # An e-mail is one message whatever its length: no parts to bill.
        self.plain_parts = 1 if self.email else count_parts(body).parts
        self.context = placeholders.Context(kernel, session, Recipient(None, "", None),
                                            today=local_today(kernel.config.timezone, now))

    def text(self, r: Recipient, about: Any = None) -> tuple[str, int]:
        if not self.keys:
            return self.body, self.plain_parts
        self.context.recipient, self.context.record = r, about
        text = placeholders.fill(self.body, self.places, self.context, self.keys)
        return text, 1 if self.email else count_parts(text).parts

    def subject_of(self, r: Recipient, about: Any = None) -> str | None:
        if not self.subject_keys:
            return self.subject
        self.context.recipient, self.context.record = r, about
        return placeholders.fill(self.subject or "", self.places, self.context, self.subject_keys)[:SUBJECT_MAX]


def tally(kernel: Any, session: Session, actor: Actor, checked: Checked, now: dt.datetime | None = None) -> Tally:
    """The preview of a send without writing it: recipients, skips by reason, parts."""
    out = Tally()
    writer = Writer(kernel, session, checked.body, now or utcnow(), checked.channel)
    people = plain(audiences.recipients(kernel, session, actor, checked.audience))
    for r, _, reason in classify(session, checked.category, people, channel=checked.channel):
        out.total += 1
        if reason is None:
            out.queued += 1
            out.parts += writer.text(r)[1]
        else:
            out.skipped[reason] += 1
    return out


def write_messages(kernel: Any, session: Session, actor: Actor, send: Send, category: Category,
                   people: Iterable[tuple[Recipient, Any]], now: dt.datetime, dedupe: bool = True) -> Tally:
    """One message per recipient of ``send`` (queued or skipped), inserted in chunks;
    ``people`` pairs each recipient with the record its message is about (or None)."""
    out = Tally()
    channel = send.channel or "sms"
    writer = Writer(kernel, session, send.body, now, channel, send.subject)
    reasons: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    user = actor.user_id or None
    for r, about, reason in classify(session, category, people, dedupe, channel):
        out.total += 1
        text, parts = writer.text(r, about) if reason is None else (send.body, 0)
        if reason is None:
            out.queued += 1
            out.parts += parts
        else:
            out.skipped[reason] += 1
        if reason is not None and reason not in reasons:
            reasons[reason] = kernel.t("fa", reason)  # kept in Persian, as the log shows it
        address = addresses.normalise(r.email)[:254] if writer.email else r.mobile or ""
        rows.append({"send_id": send.id, "channel": channel, "category_id": category.id, "partner_id": r.partner_id,
                     "address": address, "subject": writer.subject_of(r, about) if writer.email else None,
                     "body": text, "parts": parts,
                     "state": "queued" if reason is None else "skipped",
                     "skip_reason": reasons[reason] if reason is not None else None,
                     "panel_id": send.panel_id, "created_at": now, "created_by_id": user})
        if len(rows) >= INSERT_CHUNK:
            insert_rows(session, rows)
            rows = []
    if rows:
        insert_rows(session, rows)
    return out


def insert_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    """Messages into the log in the session's transaction: PostgreSQL by COPY (psycopg's
    executemany sends one INSERT per row: 100,000 messages took 10 s), SQLite by executemany."""
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        conn.execute(insert(MESSAGES), rows)
        return
    names = list(rows[0])
    raw: Any = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f"COPY {MESSAGES.name} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[n] for n in names])


def finish(session: Session, send: Send, out: Tally) -> None:
    """The send's counts and state, and its queued messages handed to the outbox."""
    send.total, send.skipped = out.total, sum(out.skipped.values())
    send.state = "queued" if out.queued else "done"
    session.flush()
    queue_send(session, send.id)


def compose(kernel: Any, session: Session, actor: Actor, draft: Draft, now: dt.datetime | None = None) -> Send:
    """A checked send: its messages queued now, or the send kept ``scheduled`` for its time."""
    now = now or utcnow()
    checked = check(kernel, session, actor, draft, now)
    send = Send(channel=checked.channel, subject=checked.subject, category_id=checked.category.id,
                template_id=checked.template_id,
                body=checked.body, audience=json.dumps(checked.audience, ensure_ascii=False),
                audience_label=audiences.label(kernel, session, "fa", checked.audience)[:300],
                scheduled_at=draft.scheduled_at, state="scheduled" if draft.scheduled_at else "queued")
    session.add(send)
    session.flush()
    if draft.files:
        attachments.store(kernel.config.files_dir, session, send.id, draft.files, actor.user_id or None)
    if draft.scheduled_at is None:
        people = plain(audiences.recipients(kernel, session, actor, checked.audience))
        finish(session, send, write_messages(kernel, session, actor, send, checked.category, people, now))
    return send


def queue_due(kernel: Any, session: Session, send: Send, now: dt.datetime) -> None:
    """A scheduled send whose time came: its messages as its author would have them now (their
    scope and the opt-outs of today); cancelled when the author can no longer act."""
    from kernel.security import load_actor

    actor = load_actor(session, send.created_by_id) if send.created_by_id else None
    category = session.get(Category, send.category_id)
    if actor is None or category is None:
        send.state, send.note = "cancelled", kernel.t("fa", "Cancelled: its author or category is gone")
        return
    people = plain(audiences.recipients(kernel, session, actor, json.loads(send.audience)))
    finish(session, send, write_messages(kernel, session, actor, send, category, people, now))
