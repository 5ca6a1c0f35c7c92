"""Duplicate detection (BASE-12, KER-16): partners whose mobile, phone, national ID, economic
code or full name match what a user is typing into a new partner's form.

Every input is normalised the way the stored data was (canonical +98 phones, ASCII-digit IDs,
``search_key`` names) and compared with an equality that an index answers, so the check costs
a few index probes at a million partners. Only partners in the actor's record scope are
looked at: a user limited to their own records does not learn that others' partners exist.
Bad input (half a phone number, a nine-digit ID) matches nothing; nothing here raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, or_, select, union
from sqlalchemy.orm import Session

from kernel import search_index
from kernel.actor import Actor
from kernel.errors import InputError
from kernel.persian.phones import canonical_phone
from kernel.persian.textnorm import BIDI_MARKS, clean_input, search_key, to_ascii_digits, to_persian_digits
from modules.base.models import Contact, Partner

if TYPE_CHECKING:
    from kernel.kernel import Kernel

FIELDS = ("national_id", "economic_code", "mobile", "phone", "name")
"""The inputs that can match, in the order matches are reported."""

NAME_CANDIDATES = 50
_SEPARATORS = re.compile(r"[\s\-./\u200c" + BIDI_MARKS + "]")
_MAX_INPUT = 300
Rows = Select[int, str, str]  # (id, name, kind)


@dataclass(frozen=True)
class Match:
    """A partner that looks like the one being typed, and which inputs it matched."""

    id: int
    name: str
    kind: str
    fields: tuple[str, ...]


def _phone(kernel: Kernel, raw: str | None) -> str | None:
    if not raw or len(raw) > _MAX_INPUT:
        return None
    try:
        return canonical_phone(raw, kernel.config.default_area_code)
    except (InputError, ValueError):
        return None


def _national_id(raw: str | None) -> str | None:
    key = _SEPARATORS.sub("", to_ascii_digits(raw or ""))
    return key if re.fullmatch(r"[0-9]{10}", key, re.ASCII) else None


def _economic_code_forms(raw: str | None) -> tuple[str, ...]:
    """The spellings an economic code may be stored in: it is a plain text field, so a user may
    have typed it with Persian digits; both digit forms are probed (each an index lookup)."""
    if not raw or len(raw) > _MAX_INPUT:
        return ()
    typed = clean_input(raw)
    ascii_ = _SEPARATORS.sub("", to_ascii_digits(typed))
    if len(ascii_) < 5:
        return ()
    return tuple(dict.fromkeys((ascii_, to_persian_digits(ascii_), typed)))


def _name_key(raw: str | None) -> str | None:
    if not raw or len(raw) > _MAX_INPUT:
        return None
    key = search_key(raw)
    # A trigram index cannot answer fewer than three letters; such names are not checked.
    return key if len(key) >= search_index.MIN_CHARS and "|" not in key else None


def queries(kernel: Kernel, actor: Actor, *, name: str | None = None, mobile: str | None = None,
            phone: str | None = None, national_id: str | None = None, economic_code: str | None = None,
            exclude_id: int | None = None, limit: int = 10) -> dict[str, Rows]:
    """One scoped SELECT of (id, name, kind) per input that can match, keyed by input name.

    Phones are one ``IN (… UNION …)`` of three index lookups (mobile, phone, extra contact
    numbers) rather than an OR, which PostgreSQL could only answer with a sequential scan.
    """

    def scoped(cond: Any, rows: int) -> Rows:
        stmt = kernel.scoped_select(actor, Partner).where(cond)
        if exclude_id is not None:
            stmt = stmt.where(Partner.id != exclude_id)
        return stmt.with_only_columns(Partner.id, Partner.name, Partner.kind).order_by(Partner.id).limit(rows)

    out: dict[str, Rows] = {}
    # Each check is "id IN (index lookups)": the planner then reads partners by primary key.
    # Put beside the scope's conditions as a plain column test, SQLite (without ANALYZE
    # statistics) may prefer the deleted_at index and read every live partner instead.
    nid = _national_id(national_id)
    if nid:
        out["national_id"] = scoped(Partner.id.in_(select(Partner.id).where(Partner.national_id == nid)), limit)
    codes = _economic_code_forms(economic_code)
    if codes:
        ids = union(*(select(Partner.id).where(Partner.economic_code == c) for c in codes))
        out["economic_code"] = scoped(Partner.id.in_(ids), limit)
    for field, raw in (("mobile", mobile), ("phone", phone)):
        number = _phone(kernel, raw)
        if number:
            ids = union(select(Partner.id).where(Partner.mobile == number),
                        select(Partner.id).where(Partner.phone == number),
                        select(Contact.partner_id).where(Contact.value == number, Contact.deleted_at.is_(None)))
            out[field] = scoped(Partner.id.in_(ids), limit)
    key = _name_key(name)
    if key:
        # The stored key is "<name>|<other searchable fields>", so an equal full name is the key
        # itself or its first part. The trigram index finds the candidates; the prefix test
        # keeps only equal names ("علی کریمی" does not match "علی کریمی‌نژاد").
        exact = or_(Partner.search_key == key, Partner.search_key.startswith(key + "|", autoescape=True))
        trigram = search_index.condition(kernel, kernel.resources["base.partner"], key)
        # As an "id IN (…)" like the other checks: beside "ORDER BY id LIMIT" a bare condition let
        # PostgreSQL walk the primary key instead of asking the trigram index.
        out["name"] = scoped(Partner.id.in_(select(Partner.id).where(trigram, exact)), NAME_CANDIDATES)
    return out


def find_duplicates(kernel: Kernel, session: Session, actor: Actor, *, name: str | None = None,
                    mobile: str | None = None, phone: str | None = None, national_id: str | None = None,
                    economic_code: str | None = None, exclude_id: int | None = None,
                    limit: int = 10) -> list[Match]:
    """Partners the actor may see that match any of the inputs (strongest evidence first)."""
    if not actor.can("base.partner.view") or limit < 1:
        return []
    stmts = queries(kernel, actor, name=name, mobile=mobile, phone=phone, national_id=national_id,
                    economic_code=economic_code, exclude_id=exclude_id, limit=limit)
    found: dict[int, tuple[str, str, list[str]]] = {}
    for field in FIELDS:
        stmt = stmts.get(field)
        if stmt is None:
            continue
        for pid, pname, kind in session.execute(stmt):
            found.setdefault(pid, (pname, kind, []))[2].append(field)
    return [Match(pid, pname, kind, tuple(fields)) for pid, (pname, kind, fields) in found.items()][:limit]
