"""Whom a send goes to (MKT-02): one partner, a partner list as its filters stand in the list's
URL, a group, a company's personnel, or a range of mobiles (FAQ 31).

An audience is a small dict kept as JSON on the send (``Send.audience``), so a scheduled send is
resolved when it goes out, and the send's page says how it was chosen. Partners are read through
the partner list's own filtering (``kernel.records.filter_conditions`` and its search) on the
actor's record scope: a user reaches only the partners they may see. Companies are returned
like anyone else; the composer skips them with the reason (an SMS goes to persons)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import and_
from sqlalchemy.orm import Session

from kernel import Actor, InputError
from kernel.persian.phones import format_phone
from kernel.persian.textnorm import to_ascii_digits
from kernel.records import ListQuery, filter_conditions, scoped, search_condition
from modules.base.models import Partner
from modules.marketing.placeholders import Recipient

PARTNERS = "base.partner"
RANGE_MAX_SETTING = "marketing.range_max"
RANGE_MAX_DEFAULT = 1000
KINDS = ("partner", "filter", "group", "personnel", "range")
_MOBILE = re.compile(r"(?:\+98|0098|98|0)?(9\d{9})")
_COLUMNS = (Partner.id, Partner.kind, Partner.mobile, Partner.name, Partner.first_name, Partner.last_name,
            Partner.title, Partner.gender, Partner.email)
CHUNK = 5000


class AudienceError(InputError):
    """A bad audience, on one of the composer's fields (``field``)."""

    def __init__(self, field: str, msgid: str, **params: Any) -> None:
        super().__init__(msgid, **params)
        self.field = field


def parse_mobile(raw: str, field: str) -> int:
    """A mobile typed with Persian or Latin digits, with 0, 98 or +98, as its 10 national digits
    (912…) in an int, so a range is counted and walked by arithmetic."""
    text = re.sub(r"[\s\-\u200c\u200e\u200f]", "", to_ascii_digits(raw or ""))
    if not text:
        raise AudienceError(field, "Enter a mobile number")
    m = _MOBILE.fullmatch(text)
    if m is None:
        raise AudienceError(field, "Not a mobile number: {value}", value=raw.strip())
    return int(m.group(1))


def mobile_range(start: str, end: str, maximum: int) -> tuple[int, int]:
    """The first and last of a range typed as two mobiles, refused when an end is no mobile, the
    range runs backwards or holds more than ``maximum`` numbers."""
    first, last = parse_mobile(start, "range_start"), parse_mobile(end, "range_end")
    if last < first:
        raise AudienceError("range_end", "The range ends before it starts")
    count = last - first + 1
    if count > maximum:
        raise AudienceError("range_end", "A range may hold at most {maximum} numbers; this one holds {count}",
                            maximum=maximum, count=count)
    return first, last


def canonical(national: int) -> str:
    return f"+98{national}"


def normalise(kernel: Any, session: Session, audience: Mapping[str, Any]) -> dict[str, Any]:
    """The audience as it is kept: its kind and its own keys, checked (a range's ends and size)."""
    kind = str(audience.get("kind") or "")
    if kind not in KINDS:
        raise AudienceError("audience", "Choose the recipients")
    if kind == "range":
        maximum = int(kernel.setting(session, RANGE_MAX_SETTING, RANGE_MAX_DEFAULT))
        first, last = mobile_range(str(audience.get("start") or ""), str(audience.get("end") or ""), maximum)
        return {"kind": kind, "start": f"0{first}", "end": f"0{last}"}
    if kind == "filter":
        # Only the list's own parameters are kept: its filters and its search.
        params = [(k, v) for k, v in parse_qsl(str(audience.get("query") or "").lstrip("?"))
                  if (k.startswith("f_") or k == "q") and v.strip()]
        return {"kind": kind, "query": urlencode(params)}
    raw = to_ascii_digits(str(audience.get("id") or "")).strip()
    if not raw.isdigit():
        field = {"partner": "partner_id", "group": "group_id", "personnel": "company_id"}[kind]
        raise AudienceError(field, "Choose one of the listed values")
    return {"kind": kind, "id": int(raw)}


def _list_filters(audience: Mapping[str, Any]) -> tuple[dict[str, str], str]:
    """The partner list's query (``f_*`` filters and ``q``) an audience stands for."""
    kind = audience["kind"]
    if kind == "filter":
        q = ListQuery.from_params(dict(parse_qsl(audience.get("query", ""))))
        return q.filters, q.search
    if kind == "group":
        return {"group": str(audience["id"])}, ""
    if kind == "personnel":
        return {"employed_by": str(audience["id"])}, ""
    return {}, ""


def partners_select(kernel: Any, session: Session, actor: Actor, audience: Mapping[str, Any]) -> Any:
    """The SELECT of the audience's partners (id order) on the actor's scope, or None for a range."""
    res = kernel.resources[PARTNERS]
    if not res.allows(actor, "view"):
        raise AudienceError("audience", "You may not view partners, so you cannot send to them")
    stmt = scoped(kernel, actor, res).with_only_columns(*_COLUMNS)
    if audience["kind"] == "partner":
        return stmt.where(Partner.id == audience["id"]).order_by(Partner.id)
    if audience["kind"] == "range":
        return None
    filters, search = _list_filters(audience)
    conds, errors = filter_conditions(res, filters, kernel.config.default_area_code, kernel.config.timezone,
                                      session, "page")
    if errors:
        raise AudienceError("audience", errors[next(iter(errors))].msgid, **errors[next(iter(errors))].params)
    if search:
        found = search_condition(kernel, res, search)
        if found is not None:
            conds.append(found)
    return (stmt.where(and_(*conds)) if conds else stmt).order_by(Partner.id)


def _recipient(row: Any) -> Recipient:
    return Recipient(row.id, row.kind, row.mobile, row.name, row.first_name, row.last_name, row.title, row.gender,
                     row.email)


def recipients(kernel: Any, session: Session, actor: Actor, audience: Mapping[str, Any]) -> Iterator[Recipient]:
    """Everyone the audience names, in a stable order; a range's numbers in order, each with the
    partner (visible to the actor) whose mobile it is, so opt-outs and names apply."""
    stmt = partners_select(kernel, session, actor, audience)
    if stmt is not None:
        for chunk in session.execute(stmt.execution_options(yield_per=CHUNK)).partitions():
            yield from (_recipient(r) for r in chunk)
        return
    first, last = parse_mobile(audience["start"], "range_start"), parse_mobile(audience["end"], "range_end")
    res = kernel.resources[PARTNERS]
    owners: dict[str, Recipient] = {}
    # Canonical mobiles of one length compare as text in number order: one index range read.
    known = scoped(kernel, actor, res).with_only_columns(*_COLUMNS).where(
        Partner.mobile >= canonical(first), Partner.mobile <= canonical(last)).order_by(Partner.id)
    for row in session.execute(known):
        owners.setdefault(row.mobile, _recipient(row))
    for national in range(first, last + 1):
        mobile = canonical(national)
        yield owners.get(mobile) or Recipient(None, "", mobile)


def label(kernel: Any, session: Session, lang: str, audience: Mapping[str, Any]) -> str:
    """How the send's page names its audience."""
    kind = audience.get("kind")
    if kind == "range":
        start, end = (format_phone(canonical(parse_mobile(audience[k], k)), lang) for k in ("start", "end"))
        return kernel.t(lang, "Mobiles {start} to {end}", start=start, end=end)
    if kind == "filter":
        return kernel.t(lang, "Partner list: {query}", query=audience.get("query") or kernel.t(lang, "everyone"))
    names = {"partner": "Partner: {name}", "group": "Group: {name}", "personnel": "Personnel of {name}"}
    target: Any = None
    if kind == "group":
        from modules.base.models import PartnerGroup

        target = session.get(PartnerGroup, audience["id"])
    else:
        target = session.get(Partner, audience["id"])
    return kernel.t(lang, names[str(kind)], name=target.name if target is not None else f"#{audience['id']}")


def partners_by_id(kernel: Any, session: Session, actor: Actor, ids: set[int]) -> dict[int, Recipient]:
    """The partners of these ids that the actor may see, as recipients."""
    if not ids:
        return {}
    stmt = scoped(kernel, actor, kernel.resources[PARTNERS]).with_only_columns(*_COLUMNS).where(Partner.id.in_(ids))
    return {row.id: _recipient(row) for row in session.execute(stmt)}
