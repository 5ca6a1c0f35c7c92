"""Placeholders of message templates (MKT-02): ``{name}``, ``{first_name}``, ``{last_name}``,
``{mobile}``, ``{today}`` here, and whatever other modules declare through the marketing hook
``register_marketing_placeholders`` (a customer's ``{balance}``, an invoice's ``{due_date}``, an
amount in Persian words).

A template is checked when it is saved and when a send is composed: every ``{…}`` must be a
placeholder an enabled module declares, else the field is refused naming it. Values are
computed per recipient when the send is queued, and only for the placeholders the text uses —
a plain text of a 100,000-recipient send costs no call at all."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy.orm import Session

from kernel import InputError
from kernel.persian.jalali import format_jalali
from kernel.persian.phones import format_phone

PATTERN = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Recipient:
    """Whom one message goes to: a partner (a person) or a bare mobile of a range."""

    partner_id: int | None
    kind: str  # "person", "company", or "" for a number that is no partner's
    mobile: str | None  # canonical +98…, None when the partner has none
    name: str = ""
    first_name: str | None = None
    last_name: str | None = None
    title: str | None = None
    gender: str | None = None
    email: str | None = None  # the partner's e-mail address, for the e-mail channel (MKT-03)


@dataclass
class Context:
    """What a placeholder's value is computed from. ``record`` is the record a relative schedule
    sends about (an invoice whose end date is tomorrow), None for other sends; ``memo`` lets a
    placeholder keep what it read for the next recipient of the same send."""

    kernel: Any
    session: Session
    recipient: Recipient
    lang: str = "fa"
    today: dt.date = field(default_factory=dt.date.today)
    record: Any = None
    memo: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Placeholder:
    """``{key}`` in a template; ``label`` is an English msgid shown in the composer's list;
    ``value(context)`` answers the text put in its place ("" when it has none)."""

    key: str
    label: str
    value: Callable[[Context], str]
    sequence: int = 100


def _name(c: Context) -> str:
    from modules.base.models import Partner
    from modules.base.services.addressee import person_line

    r = c.recipient
    if r.partner_id is None:
        return ""
    # The addressee rules of base: salutation, title and name («جناب آقای مهندس علی رضایی»).
    # person_line reads only name, title and gender, which a Recipient carries.
    return person_line(cast(Partner, r), c.lang)


def builtin() -> list[Placeholder]:
    return [
        Placeholder("name", "Name with title", _name, 10),
        Placeholder("first_name", "First name", lambda c: c.recipient.first_name or "", 20),
        Placeholder("last_name", "Last name", lambda c: c.recipient.last_name or "", 30),
        Placeholder("mobile", "Mobile", lambda c: format_phone(c.recipient.mobile, c.lang) if c.recipient.mobile
                    else "", 40),
        Placeholder("today", "Today's date", lambda c: format_jalali(c.today, c.lang), 50),
    ]


def declared(kernel: Any) -> dict[str, Placeholder]:
    """Every placeholder of the enabled modules, by key, in their order."""
    found: list[Placeholder] = []
    for answer in kernel.pm.hook.register_marketing_placeholders(kernel=kernel):
        for p in answer or ():
            if not isinstance(p, Placeholder):
                raise TypeError(f"register_marketing_placeholders must return Placeholder objects, got {p!r}")
            found.append(p)
    out: dict[str, Placeholder] = {}
    for p in sorted(found, key=lambda p: (p.sequence, p.key)):
        if p.key in out:
            raise ValueError(f"two placeholders are named {{{p.key}}}")
        out[p.key] = p
    return out


def used(text: str) -> list[str]:
    """The placeholders a text names, each once, in order."""
    return list(dict.fromkeys(m.strip() for m in PATTERN.findall(text or "")))


def check(text: str, known: Iterable[str]) -> None:
    """Refuse a text naming a placeholder no enabled module declares."""
    names = set(known)
    unknown = [k for k in used(text) if k not in names]
    if unknown:
        raise InputError("Unknown placeholder {placeholder}; use one of the listed ones",
                         placeholder="{" + unknown[0] + "}")


def fill(text: str, places: dict[str, Placeholder], context: Context, keys: list[str] | None = None) -> str:
    """The text with each placeholder's value for ``context``'s recipient."""
    keys = used(text) if keys is None else keys
    if not keys:
        return text
    values = {k: places[k].value(context) for k in keys}
    return PATTERN.sub(lambda m: values.get(m.group(1).strip(), m.group(0)), text)
