"""The customers list with balance and payment-behaviour score (FIN-12): a page of 50 customers,
the largest open balance first (or by score, either way), optionally of one band, read from the
kept rows (``finance_customer_standing``) in the order of one of their indexes and walked from the
last row shown (a keyset cursor: the sort value and the customer's id), so the thousandth page
costs what the first does.

The record scope: the rows are joined to the customers the user may see. A user whose roles
limit the invoices themselves ("own" or "team" records) sees only part of a customer's invoices,
which the kept balance cannot answer: their balances are summed from the issued invoices they may
see (few, by the owner's index), the score beside them is still the customer's (it judges the
customer, as on the profile), in the same order and pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, union_all

from kernel import InputError
from modules.base.models import Partner
from modules.finance.models import CustomerStanding, Invoice
from modules.finance.score import BAND_LABELS, Counts

PAGE_SIZE = 50
SORTS = ("balance", "score")
SHOWN = ("on_time", "late", "late_days", "overdue", "bounced", "legal", "returned")
_CURSOR = re.compile(r"^(-?\d{1,19})_(\d{1,19})$")


@dataclass(frozen=True)
class Row:
    partner_id: int
    name: str
    balance: int
    score: int  # −1: no history
    band: str
    counts: Counts


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    following: str  # the cursor of the next page ("" on the last)
    sort: str
    descending: bool
    band: str


def _kept(kernel: Any, actor: Any) -> Any:
    t = CustomerStanding
    return (select(t.partner_id.label("pid"), Partner.name, t.balance, t.score, t.band,
                   *(getattr(t, c) for c in SHOWN))
            .join(Partner, Partner.id == t.partner_id)
            .where(Partner.deleted_at.is_(None), *kernel.record_conditions(actor, Partner, "view"))).subquery()


def _live(kernel: Any, actor: Any) -> Any:
    """The same columns with the balance of the invoices the actor may see (own / team scopes)."""
    t = CustomerStanding
    sums = (kernel.scoped_select(actor, Invoice).where(Invoice.state == "issued")
            .with_only_columns(Invoice.partner_id.label("pid"), func.sum(Invoice.balance).label("balance"))
            .group_by(Invoice.partner_id).subquery())
    return (select(sums.c.pid, Partner.name, sums.c.balance, func.coalesce(t.score, -1).label("score"),
                   func.coalesce(t.band, "none").label("band"),
                   *(func.coalesce(getattr(t, c), 0).label(c) for c in SHOWN))
            .join(Partner, Partner.id == sums.c.pid).outerjoin(t, t.partner_id == sums.c.pid)).subquery()


def cursor(raw: str) -> tuple[int, int] | None:
    if not raw:
        return None
    found = _CURSOR.match(raw)
    if found is None:
        raise InputError("This page of the list no longer exists: start from its first page")
    return int(found.group(1)), int(found.group(2))


def _walk(rows: Any, sort: str, descending: bool, band: str, start: tuple[int, int] | None, limit: int) -> Any:
    """The next ``limit`` rows after ``start`` in the order (sort value, customer id). After a
    cursor it is two walks of the index, glued: the rest of the cursor's own value (by id), then
    the values past it — one row comparison ``(value, id) < (v, p)`` would let SQLite seek on the
    value alone and step over every customer of that value before the cursor (a third of them
    have a zero balance, thousands share a score)."""
    value, pid = rows.c[sort], rows.c.pid

    def ordered(stmt: Any) -> Any:
        stmt = stmt.where(rows.c.band == band) if band else stmt
        return stmt.order_by(*((value.desc(), pid.desc()) if descending else (value.asc(), pid.asc()))).limit(limit)

    if start is None:
        return ordered(select(rows))
    same = ordered(select(rows).where(value == start[0], pid < start[1] if descending else pid > start[1]))
    past = ordered(select(rows).where(value < start[0] if descending else value > start[0]))
    both = union_all(select(same.subquery()), select(past.subquery())).subquery()
    key = (both.c[sort], both.c.pid)
    return select(both).order_by(*(k.desc() if descending else k.asc() for k in key)).limit(limit)


def page(kernel: Any, session: Any, actor: Any, *, sort: str = "balance", descending: bool = True, band: str = "",
         after: str = "", size: int = PAGE_SIZE) -> Page:
    """One page of the customers the actor may see (InputError for a cursor that is not one)."""
    sort = sort if sort in SORTS else "balance"
    band = band if band in BAND_LABELS else ""
    kept = not kernel.filter_answers(actor, Invoice, "view")
    rows = _kept(kernel, actor) if kept else _live(kernel, actor)
    found = [r._mapping for r in session.execute(_walk(rows, sort, descending, band, cursor(after), size + 1))]
    following = ""
    if len(found) > size:
        found = found[:size]
        following = f"{int(found[-1][sort])}_{int(found[-1]['pid'])}"
    out = [Row(int(m["pid"]), m["name"], int(m["balance"] or 0), int(m["score"]), m["band"],
               Counts(**{c: int(m[c] or 0) for c in SHOWN})) for m in found]
    return Page(out, following, sort, descending, band)
