"""What stops a Jalali fiscal year from being closed, and what stops a close from being undone
(FIN-16). Each reason is a :class:`Blocker`: a message for the page, in Persian on a Persian page,
and the records to settle, each with its link. Only reads: the close and the undo
(:mod:`modules.finance.services.fiscal_close`) ask here first, under the fiscal year's lock, and
change nothing while a reason is found.

Closing a year is refused while
* it is already closed, or it has not ended (today in the instance's timezone is on or before its
  last day, 29 or 30 Esfand);
* an earlier year is still open (years close in order: the next year to close is the one after
  the last closed, or the year of the first document when none ever was);
* a draft proforma, invoice or purchase invoice is dated in it — a draft is neither a sale, an
  offer nor a purchase yet: it is issued (posted), or dated into the new year, or deleted;
* a cheque **due** in it is still at the desk (state "received"): by the year's end each cheque
  that fell due is put in the safe, deposited, endorsed or returned, so the cheques carried are
  the ones the bookkeeper has really counted. (Our choice: a cheque that fell due but was never
  even put in the safe is the loose paper a close is meant to find.)

Open invoices, unpaid instalments, cheques in the safe or at the bank, issued proformas and posted
purchases not fully paid do not block: they are carried into the new year.

Undoing is refused once anything is dated in the new year and issued or recorded (an issued or
voided invoice, an issued proforma, a posted or voided purchase invoice, a receipt, a plan's
payment, a payment to a supplier), or while the next year is closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel.numbering import fiscal_year
from kernel.persian.jalali import format_jalali, jalali_year_range
from kernel.persian.numbers import to_persian_digits
from modules.finance.models import Cheque, Invoice, Payment, Proforma, Purchase, PurchasePayment, Receipt
from modules.finance.models.fiscal import FiscalYear

LISTED = 20  # records listed under a reason; the count says how many there are
# The viewer's record scope as conditions on a model (``kernel.record_conditions(actor, m, "view")``):
# a reason counts every record of the company (the close is the company's), but lists and links
# only those the viewer may see. None: no viewer (a service or a test), everything.
Visible = Callable[[Any], list[Any]] | None


def visible_to(kernel: Any, actor: Any) -> Callable[[Any], list[Any]]:
    """The reasons list only what ``actor`` may see (their counts are the company's)."""
    return lambda model: list(kernel.record_conditions(actor, model, "view"))


def _seen(visible: Visible, model: Any) -> list[Any]:
    return list(visible(model)) if visible is not None else []


@dataclass(frozen=True)
class Blocker:
    """One reason, as a message id with its values, and the records it is about: (link, label)."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)
    records: tuple[tuple[str, str], ...] = ()


def _fa(n: int) -> str:
    return to_persian_digits(str(n))


def last_closed(session: Session) -> int | None:
    return session.scalar(select(func.max(FiscalYear.year)).where(FiscalYear.state == "closed"))


def first_document_year(session: Session) -> int | None:
    first = [session.scalar(select(func.min(m.date)).where(m.deleted_at.is_(None)))
             for m in (Proforma, Invoice, Purchase)]
    found = [d for d in first if d is not None]
    return fiscal_year(min(found)) if found else None


def next_to_close(session: Session, today: dt.date) -> int:
    """The year after the last closed one; with none closed, the year of the first document (or
    last year, when there is no document at all)."""
    closed = last_closed(session)
    if closed is not None:
        return closed + 1
    first = first_document_year(session)
    return first if first is not None else fiscal_year(today) - 1


_DRAFTS = {
    "proforma": "{n} draft proformas are dated in this year: issue them, date them in the new year or delete them",
    "invoice": "{n} draft invoices are dated in this year: issue them, date them in the new year or delete them",
    "purchase": "{n} draft purchase invoices are dated in this year: post them, date them in the new year or "
                "delete them",
}


def _drafts(session: Session, model: Any, start: dt.date, end: dt.date, kind: str,
            visible: Visible = None) -> Blocker | None:
    live = (model.state == "draft", model.deleted_at.is_(None), model.date >= start, model.date < end)
    count = session.scalar(select(func.count()).select_from(model).where(*live)) or 0
    if not count:
        return None
    rows = session.execute(select(model.id, model.date).where(*live, *_seen(visible, model))
                           .order_by(model.date, model.id).limit(LISTED))
    msgid = _DRAFTS[kind]
    return Blocker(msgid, {"n": _fa(count)},
                   tuple((f"/finance/{kind}/{rid}", f"#{_fa(rid)} — {format_jalali(day)}") for rid, day in rows))


def _loose_cheques(session: Session, start: dt.date, end: dt.date, visible: Visible = None) -> Blocker | None:
    live = (Cheque.state == "received", Cheque.deleted_at.is_(None), Cheque.due_date >= start, Cheque.due_date < end)
    count = session.scalar(select(func.count()).select_from(Cheque).where(*live)) or 0
    if not count:
        return None
    rows = session.execute(select(Cheque.id, Cheque.number, Cheque.due_date).where(*live, *_seen(visible, Cheque))
                           .order_by(Cheque.due_date, Cheque.id).limit(LISTED))
    return Blocker("{n} cheques fell due in this year and are still at the desk: put them in the safe, deposit, "
                   "endorse or return them", {"n": _fa(count)},
                   tuple((f"/finance/cheque/{rid}", f"{to_persian_digits(number)} — {format_jalali(due)}")
                         for rid, number, due in rows))


def close_blockers(session: Session, year: int, today: dt.date, visible: Visible = None) -> list[Blocker]:
    """Every reason the year cannot be closed now (empty: it can)."""
    y = _fa(year)
    state = session.scalar(select(FiscalYear.state).where(FiscalYear.year == year))
    if state == "closed":
        return [Blocker("The fiscal year {year} is already closed", {"year": y})]
    out: list[Blocker] = []
    start, end = jalali_year_range(year)
    if today < end:
        out.append(Blocker("The fiscal year {year} has not ended yet: it ends on {date}",
                           {"year": y, "date": format_jalali(end - dt.timedelta(days=1))}))
    expected = next_to_close(session, today)
    if year > expected:
        out.append(Blocker("The fiscal year {earlier} is still open: close it first", {"earlier": _fa(expected)}))
    elif year < expected:
        out.append(Blocker("The next fiscal year to close is {next}", {"next": _fa(expected)}))
    for model, kind in ((Proforma, "proforma"), (Invoice, "invoice"), (Purchase, "purchase")):
        found = _drafts(session, model, start, end, kind, visible)
        if found:
            out.append(found)
    loose = _loose_cheques(session, start, end, visible)
    if loose:
        out.append(loose)
    return out


def _first_of(session: Session, start: dt.date, end: dt.date, visible: Visible = None) -> tuple[str, str] | None:
    """The first document issued or money recorded dated in [start, end) that the viewer may see:
    (link, label); None when there is none (or the viewer sees none of them: the reason still holds)."""
    asks = (
        (Invoice, Invoice.state.in_(("issued", "void")), "invoice"),
        (Proforma, Proforma.number.is_not(None), "proforma"),
        (Purchase, Purchase.state.in_(("posted", "void")), "purchase"),
    )
    for model, issued, kind in asks:
        row = session.execute(select(model.id, model.number).where(
            issued, model.deleted_at.is_(None), model.date >= start, model.date < end, *_seen(visible, model))
            .order_by(model.date, model.id).limit(1)).first()
        if row is not None:
            return f"/finance/{kind}/{row.id}", to_persian_digits(row.number or "")
    money: tuple[Any, ...] = (Receipt, Payment)
    for paid in money:
        got = session.execute(select(paid.invoice_id, paid.date).join(Invoice, Invoice.id == paid.invoice_id).where(
            paid.deleted_at.is_(None), paid.date >= start, paid.date < end, *_seen(visible, Invoice))
            .order_by(paid.date, paid.id).limit(1)).first()
        if got is not None:
            return f"/finance/invoice/{got.invoice_id}", format_jalali(got.date)
    # A payment to a supplier, cancelled or not: it was recorded (a cheque that bounced still left).
    paid_out = session.execute(select(PurchasePayment.purchase_id, PurchasePayment.date)
                               .join(Purchase, Purchase.id == PurchasePayment.purchase_id).where(
        PurchasePayment.deleted_at.is_(None), PurchasePayment.date >= start, PurchasePayment.date < end,
        *_seen(visible, Purchase)).order_by(PurchasePayment.date, PurchasePayment.id).limit(1)).first()
    if paid_out is not None:
        return f"/finance/purchase/{paid_out.purchase_id}", format_jalali(paid_out.date)
    return None


def reopen_blockers(session: Session, year: int, visible: Visible = None) -> list[Blocker]:
    """Every reason the close of ``year`` cannot be undone now (empty: it can)."""
    y, ny = _fa(year), _fa(year + 1)
    state = session.scalar(select(FiscalYear.state).where(FiscalYear.year == year))
    if state != "closed":
        return [Blocker("The fiscal year {year} is not closed", {"year": y})]
    if session.scalar(select(FiscalYear.state).where(FiscalYear.year == year + 1)) == "closed":
        return [Blocker("The fiscal year {next} is closed too: undo its close first", {"next": ny})]
    start, end = jalali_year_range(year + 1)
    if _first_of(session, start, end) is not None:
        first = _first_of(session, start, end, visible) if visible is not None else _first_of(session, start, end)
        return [Blocker("A document or a payment dated in {next} has already been issued or recorded: the close "
                        "of {year} can no longer be undone", {"next": ny, "year": y}, (first,) if first else ())]
    return []
