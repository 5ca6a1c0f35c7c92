"""A customer's statement (FIN-12): for one partner and a Jalali period, the opening balance
(everything before the period), every movement of the period in date order with the running
balance, the closing balance, and below it — a memo, not in the balance — the customer's cheques
not yet cleared and the credit promises not yet kept.

Callable without HTTP (:func:`statement`); the page, the PDF and the xlsx only show what it
returns. The rows come from :data:`modules.finance.services.statement_sources.SOURCES`: one
statement reads them all (the opening — the sources before the period, summed — as its first
row, then the period's rows: ``UNION ALL`` of the sources, every part narrowed first by the
partner's documents' index ``(partner_id, date)``), and one more the memo (the partner's cheques
by ``ix_finance_cheque_partner`` and the promises by the partner's payments).

Balance = debit − credit: positive, the customer owes us.
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import BigInteger, Date, String, bindparam, func, literal, select, union_all

from kernel import InputError
from kernel.persian.jalali import jalali_year_range, parse_jalali_date, to_jalali
from kernel.persian.textnorm import clean_input, to_ascii_digits
from kernel.records import FormErrors
from modules.finance.models import Cheque, Invoice, Payment
from modules.finance.services.statement_sources import SOURCES

# A cheque the customer gave that is not money yet: at our desk, in the safe, at the bank, or
# passed on to a supplier (it may still bounce back to us).
NOT_CLEARED = ("received", "in_safe", "deposited", "endorsed")


@dataclass(frozen=True)
class Row:
    day: dt.date
    kind: str
    reference: str
    detail: str
    link: str
    debit: int
    credit: int
    balance: int  # the running balance after this row


@dataclass(frozen=True)
class MemoCheque:
    id: int
    number: str
    due_date: dt.date
    amount: int
    state: str


@dataclass(frozen=True)
class MemoPromise:
    invoice_id: int
    invoice_number: str
    day: dt.date
    amount: int


@dataclass
class Statement:
    partner_id: int
    first: dt.date
    last: dt.date
    opening: int
    rows: list[Row] = field(default_factory=list)
    cheques: list[MemoCheque] = field(default_factory=list)
    promises: list[MemoPromise] = field(default_factory=list)

    @property
    def debits(self) -> int:
        return sum(r.debit for r in self.rows)

    @property
    def credits(self) -> int:
        return sum(r.credit for r in self.rows)

    @property
    def closing(self) -> int:
        return self.opening + self.debits - self.credits

    @property
    def cheques_total(self) -> int:
        return sum(c.amount for c in self.cheques)

    @property
    def promises_total(self) -> int:
        return sum(p.amount for p in self.promises)


def period(raw_first: str | None, raw_last: str | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """The period typed as Jalali days (Persian or Latin digits); an empty end is this Jalali
    year's (1 Farvardin, the last day of Esfand). ``FormErrors`` keyed ``from`` / ``until``."""
    errors: dict[str, InputError] = {}
    start, end = jalali_year_range(to_jalali(today).year)
    days: dict[str, dt.date] = {"from": start, "until": end - dt.timedelta(days=1)}
    for name, raw in (("from", raw_first), ("until", raw_last)):
        text = clean_input(raw or "")
        if text:
            try:
                days[name] = parse_jalali_date(text)
            except InputError as exc:
                errors[name] = exc
    if not errors and days["until"] < days["from"]:
        errors["until"] = InputError("The end is before the start")
    if errors:
        raise FormErrors(errors)
    return days["from"], days["until"]


# The union of the sources is built once per actor and shape (the opening: until a day; the
# period: from … until) with the partner and the days as bind parameters: building it (three
# SELECTs, their scope conditions and joins) cost ~40 ms of Python per statement on a busy core,
# running it under 1 ms (bench/bench_statement.py). Kept as the kernel keeps record conditions:
# per actor, a pure function of it.
PARTNER = bindparam("statement_partner", type_=BigInteger)
FIRST = bindparam("statement_first", type_=Date)
LAST = bindparam("statement_last", type_=Date)
# Per kernel (weakly: a kernel that goes away takes its statements along; an id() could be
# reused by the next kernel of a test run), then per actor and shape.
_BUILT: weakref.WeakKeyDictionary[Any, dict[tuple[Any, str], Any]] = weakref.WeakKeyDictionary()


def _built(kernel: Any, actor: Any, shape: str, build: Any) -> Any:
    """The statement ``build(kernel, actor)`` made once per kernel, actor and shape."""
    kept = _BUILT.setdefault(kernel, {})
    found = kept.get((actor, shape))
    if found is None:
        if len(kept) > 1024:
            kept.clear()
        found = kept[actor, shape] = build(kernel, actor)
    return found


BEFORE = bindparam("statement_before", type_=Date)


def _moves(kernel: Any, actor: Any) -> Any:
    """One statement: the opening (the sources up to the day before the period, summed) as a row
    of kind ``opening`` first, then the period's rows in order."""
    before = union_all(*(s.select(kernel, actor, PARTNER, None, BEFORE) for s in SOURCES)).subquery()
    opening = select(FIRST.label("day"), literal(-1).label("ord"), literal(0).label("rid"),
                     literal("opening", String).label("kind"), literal("", String).label("reference"),
                     literal("", String).label("detail"), literal("", String).label("link"),
                     func.coalesce(func.sum(before.c.debit), 0).label("debit"),
                     func.coalesce(func.sum(before.c.credit), 0).label("credit"))
    moves = union_all(opening, *(s.select(kernel, actor, PARTNER, FIRST, LAST) for s in SOURCES)).subquery()
    return select(moves).order_by(moves.c.day, moves.c.ord, moves.c.rid)


def statement(kernel: Any, session: Any, actor: Any, partner_id: int, first: dt.date, last: dt.date) -> Statement:
    """The statement of ``partner_id`` from ``first`` to ``last`` (inclusive) as ``actor`` may
    see it. The caller has checked that the actor may see the partner; each source applies the
    documents' own scope (a user of "own records" gets the statement of their own invoices)."""
    out = Statement(partner_id, first, last, 0)
    params = {"statement_partner": partner_id, "statement_first": first, "statement_last": last,
              "statement_before": first - dt.timedelta(days=1)}
    running = 0
    for m in session.execute(_built(kernel, actor, "moves", _moves), params):
        running += int(m.debit) - int(m.credit)
        if m.kind == "opening":
            out.opening = running
            continue
        # A slip's or trace number is kept as typed: one spelling of its digits on paper and in xlsx.
        out.rows.append(Row(m.day, m.kind, m.reference or "", to_ascii_digits(m.detail or ""), m.link, int(m.debit),
                            int(m.credit), running))
    out.cheques, out.promises = memo(kernel, session, actor, partner_id)
    return out


def _memo(kernel: Any, actor: Any) -> Any:
    """The customer's cheques not yet money (ix_finance_cheque_partner) and the credit promises
    still pending of the invoices the actor may see, in one statement."""
    cheques = (kernel.scoped_select(actor, Cheque).where(Cheque.partner_id == PARTNER, Cheque.state.in_(NOT_CLEARED))
               .with_only_columns(literal("cheque", String).label("what"), Cheque.id.label("rid"),
                                  Cheque.number.label("number"), Cheque.due_date.label("day"),
                                  Cheque.amount.label("amount"), Cheque.state.label("state")))
    promises = (select(literal("promise", String), Payment.invoice_id, Invoice.number, Payment.date, Payment.amount,
                       literal("", String))
                .join(Invoice, Invoice.id == Payment.invoice_id)
                .where(Payment.partner_id == PARTNER, Payment.kind == "promise", Payment.state == "pending",
                       Payment.deleted_at.is_(None), Invoice.deleted_at.is_(None),
                       *kernel.record_conditions(actor, Invoice, "view")))
    both = union_all(cheques, promises).subquery()
    return select(both).order_by(both.c.what, both.c.day, both.c.rid)


def memo(kernel: Any, session: Any, actor: Any, partner_id: int) -> tuple[list[MemoCheque], list[MemoPromise]]:
    cheques, promises = [], []
    for what, rid, number, day, amount, state in session.execute(_built(kernel, actor, "memo", _memo),
                                                                 {"statement_partner": partner_id}):
        if what == "cheque":
            cheques.append(MemoCheque(int(rid), number, day, int(amount), state))
        else:
            promises.append(MemoPromise(int(rid), number or "", day, int(amount)))
    return cheques, promises
