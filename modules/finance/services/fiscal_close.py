"""Closing a Jalali fiscal year and undoing the close (FIN-16), each one transaction.

**Close** (:func:`close`): under the year's exclusive lock (:func:`~modules.finance.fiscal_guard.hold_year`:
on PostgreSQL a write dated in the year that is in flight is waited for, and one that starts
meanwhile waits and is then refused) and the lock of the year's ``finance_fiscal_year`` row (its
unique year refuses a second row; a second click waits for the first and then finds the year
closed), the reasons of :mod:`~modules.finance.services.fiscal_checks` are asked; with any, nothing is
written and :class:`Refused` lists them all. Else, set-based, one statement per kind, no Python
loop per customer:

* the **opening balances** of the new year, two sides kept apart (see
  :class:`~modules.finance.models.fiscal.FiscalOpening`): per customer, what its issued invoices
  dated up to the year's last day still owed then — read from the ledger as ``balance`` (grand
  total less every live receipt, kept by the receipts) plus the receipts dated after the year's
  end, so only the open invoices (their partial index) and the new year's receipts are read, not
  every receipt ever; and per supplier, what we still owed on its posted purchases dated up to
  then, read the same way (the purchase's ``balance`` plus our payments dated after the year's
  end). These are the statement's own rules (:mod:`~modules.finance.services.statement_sources`),
  so a partner's customer opening less its supplier opening is its statement's opening balance
  of the new year: a void — an invoice's or a purchase's — is "never took effect" there, reversed
  on the document's own date, so one voided after the year's end (before the close) is in
  neither; a payment whose cheque bounced or came back counts in neither, as a deleted receipt;
* the **carried items**: those invoices with something still open at the year's end, the
  instalments not fully paid of invoices dated up to then, the cheques received up to then still in
  hand (received, in the safe, deposited), the proformas dated up to then still issued, the
  purchases with something still owed at the year's end, and our own cheques given to suppliers
  up to then that the bank has not paid yet (``issued``: not cleared, and not come back — a bounced
  or returned one cancelled its payment, so its purchase is carried as owed instead). Like the
  customers' cheques, a cheque is read in its state at the close.

Nothing else moves: no document is renumbered, re-dated or copied; the carried items stay open
where they are. The row's history (kernel audit) says who closed it, when, and what was written.

**Undo** (:func:`reopen`): refused (with the reason) once something dated in the new year was
issued or recorded; else the rows of the close are deleted and the year is open again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, Integer, String, delete, func, insert, literal, or_, select, text
from sqlalchemy.orm import Session

from kernel import Actor, Conflict, PermissionDenied
from kernel.db import acting_user_id, insert_ignoring, utcnow
from kernel.persian.jalali import jalali_year_range
from kernel.timezone import local_today
from modules.finance.fiscal_guard import hold_year
from modules.finance.models import (
    Cheque,
    Instalment,
    Invoice,
    OwnCheque,
    Proforma,
    Purchase,
    PurchasePayment,
    Receipt,
)
from modules.finance.models.fiscal import FiscalCarry, FiscalOpening, FiscalYear
from modules.finance.services.fiscal_checks import Blocker, close_blockers, reopen_blockers, visible_to

CLOSE = "finance.fiscal_year.close"
IN_HAND = ("received", "in_safe", "deposited")
OUTSTANDING = ("issued",)  # our cheque with the supplier, not paid by the bank yet


class Refused(Conflict):
    """The close or the undo is refused; ``reasons`` are every reason found."""

    def __init__(self, reasons: list[Blocker]) -> None:
        super().__init__(reasons[0].msgid, **reasons[0].params)
        self.reasons = reasons


def _lock(session: Session, year: int) -> FiscalYear | None:
    return session.scalars(select(FiscalYear).where(FiscalYear.year == year).with_for_update()
                           .execution_options(populate_existing=True)).first()


def _stamp(session: Session) -> dict[str, Any]:
    """The Record columns of rows written by ``INSERT … SELECT`` (the ORM is not there to fill them)."""
    now, uid = utcnow(), acting_user_id(session)
    return {"created_at": literal(now), "updated_at": literal(now),
            "created_by_id": literal(uid, BigInteger), "updated_by_id": literal(uid, BigInteger)}


def owed_at_end(year: int) -> Any:
    """Per issued invoice dated up to the end of ``year``: what was open on its last day (a subquery
    of id, partner_id, number, date, open). Receipts dated after the year's end are given back."""
    _, nxt = jalali_year_range(year)
    later = (select(Receipt.invoice_id, func.sum(Receipt.amount).label("later"))
             .where(Receipt.deleted_at.is_(None), Receipt.date >= nxt).group_by(Receipt.invoice_id).subquery())
    return (select(Invoice.id, Invoice.partner_id, Invoice.number, Invoice.date,
                   (Invoice.balance + func.coalesce(later.c.later, 0)).label("open"))
            .outerjoin(later, later.c.invoice_id == Invoice.id)
            .where(Invoice.state == "issued", Invoice.deleted_at.is_(None), Invoice.date < nxt,
                   or_(Invoice.balance > 0, later.c.later.is_not(None)))
            .subquery())


def payable_at_end(year: int) -> Any:
    """Per posted purchase dated up to the end of ``year``: what we still owed on its last day (a
    subquery of id, partner_id, number, date, open). Our payments dated after the year's end are
    given back; a cancelled one (its cheque bounced or came back) is not a payment, as in the
    purchase's own ``balance`` and on the statement."""
    _, nxt = jalali_year_range(year)
    later = (select(PurchasePayment.purchase_id, func.sum(PurchasePayment.amount).label("later"))
             .where(PurchasePayment.deleted_at.is_(None), PurchasePayment.cancelled_on.is_(None),
                    PurchasePayment.date >= nxt).group_by(PurchasePayment.purchase_id).subquery())
    return (select(Purchase.id, Purchase.partner_id, Purchase.number, Purchase.date,
                   (Purchase.balance + func.coalesce(later.c.later, 0)).label("open"))
            .outerjoin(later, later.c.purchase_id == Purchase.id)
            .where(Purchase.state == "posted", Purchase.deleted_at.is_(None), Purchase.date < nxt,
                   or_(Purchase.balance > 0, later.c.later.is_not(None)))
            .subquery())


def _write_openings(session: Session, year: int, stamp: dict[str, Any]) -> None:
    """One ``INSERT … SELECT … GROUP BY`` per side: the customers' and the suppliers'."""
    for side, owed in (("customer", owed_at_end(year)), ("supplier", payable_at_end(year))):
        rows = (select(literal(year + 1, Integer), literal(side, String), owed.c.partner_id, func.sum(owed.c.open),
                       func.count(), *stamp.values())
                .where(owed.c.open != 0).group_by(owed.c.partner_id).having(func.sum(owed.c.open) != 0))
        session.execute(insert(FiscalOpening).from_select(
            ["year", "side", "partner_id", "amount", "invoices", *stamp], rows))


def _carry_selects(year: int, stamp: dict[str, Any]) -> list[Any]:
    """One ``SELECT`` per kind of carried item, each in the columns of :data:`_CARRY_COLUMNS`."""
    _, nxt = jalali_year_range(year)
    ny = literal(year + 1, Integer)
    none = literal(None, BigInteger)
    owed, payable = owed_at_end(year), payable_at_end(year)
    return [
        select(ny, literal("invoice", String), owed.c.partner_id, owed.c.id, none, none, none, none, none,
               owed.c.number, owed.c.date, owed.c.open, *stamp.values()).where(owed.c.open > 0),
        select(ny, literal("instalment", String), Invoice.partner_id, Invoice.id, none, none, Instalment.id, none,
               none, Invoice.number, Instalment.due_date, Instalment.amount - Instalment.paid, *stamp.values())
        .join(Invoice, Invoice.id == Instalment.invoice_id)
        .where(Instalment.deleted_at.is_(None), Instalment.state != "paid", Invoice.state == "issued",
               Invoice.deleted_at.is_(None), Invoice.date < nxt),
        select(ny, literal("cheque", String), Cheque.partner_id, Cheque.invoice_id, none, Cheque.id, none, none,
               none, Cheque.number, Cheque.due_date, Cheque.amount, *stamp.values())
        .where(Cheque.state.in_(IN_HAND), Cheque.deleted_at.is_(None), Cheque.received_on < nxt),
        select(ny, literal("proforma", String), Proforma.partner_id, none, Proforma.id, none, none, none, none,
               Proforma.number, Proforma.date, Proforma.grand_total, *stamp.values())
        .where(Proforma.state == "issued", Proforma.deleted_at.is_(None), Proforma.date < nxt),
        select(ny, literal("purchase", String), payable.c.partner_id, none, none, none, none, payable.c.id, none,
               payable.c.number, payable.c.date, payable.c.open, *stamp.values()).where(payable.c.open > 0),
        select(ny, literal("own_cheque", String), OwnCheque.partner_id, none, none, none, none, none, OwnCheque.id,
               OwnCheque.number, OwnCheque.due_date, OwnCheque.amount, *stamp.values())
        .where(OwnCheque.state.in_(OUTSTANDING), OwnCheque.deleted_at.is_(None), OwnCheque.issued_on < nxt),
    ]


_CARRY_COLUMNS = ["year", "kind", "partner_id", "invoice_id", "proforma_id", "cheque_id", "instalment_id",
                  "purchase_id", "own_cheque_id", "reference", "date", "amount"]


class Written(NamedTuple):
    """What a close wrote: customers with an opening and their sum, items carried, suppliers
    with an opening and their sum."""

    openings: int
    total: int
    carried: int
    suppliers: int
    payable: int


def write_close(session: Session, year: int, stamp: dict[str, Any] | None = None) -> Written:
    """The rows of a close of ``year`` (the openings of each side, then each kind of carried item:
    eight ``INSERT … SELECT``), and what they are. Checks nothing: :func:`close` asks first
    (``bench/bench_fiscal.py`` times these alone)."""
    stamp = stamp or _stamp(session)
    _write_openings(session, year, stamp)
    for rows in _carry_selects(year, stamp):
        session.execute(insert(FiscalCarry).from_select([*_CARRY_COLUMNS, *stamp], rows))
    # Counted from what was written (a driver's row count of INSERT … SELECT is not to be relied on).
    sides = {side: (int(n), int(total)) for side, n, total in session.execute(
        select(FiscalOpening.side, func.count(), func.coalesce(func.sum(FiscalOpening.amount), 0))
        .where(FiscalOpening.year == year + 1).group_by(FiscalOpening.side))}
    carried = session.scalar(select(func.count()).select_from(FiscalCarry).where(FiscalCarry.year == year + 1)) or 0
    return Written(*sides.get("customer", (0, 0)), int(carried), *sides.get("supplier", (0, 0)))


def remove_close(session: Session, year: int) -> None:
    """Delete the openings and carried items a close of ``year`` wrote (two statements)."""
    session.execute(delete(FiscalOpening).where(FiscalOpening.year == year + 1))
    session.execute(delete(FiscalCarry).where(FiscalCarry.year == year + 1))


def close(kernel: Any, session: Session, actor: Actor, year: int, today: dt.date | None = None) -> FiscalYear:
    """Close ``year``: :class:`Refused` with every reason, nothing written; else the row closed,
    the openings and the carried items written, all in the caller's transaction."""
    if not actor.can(CLOSE):
        raise PermissionDenied(CLOSE)
    today = today or local_today(kernel.config.timezone)
    stamp = _stamp(session)
    # First, before reading anything: a write dated in the year that is in flight is waited for
    # (its reasons and its money are then read), and one that starts now waits for this close.
    hold_year(session, year, exclusive=True)
    row = _lock(session, year)
    if row is None:
        # The year's row, made open and then locked like any other: a second click at the same
        # moment waits here for the first one's row (the unique year) and then finds it closed.
        # A refusal below rolls the row back with everything else.
        session.execute(insert_ignoring(session.get_bind().dialect.name, FiscalYear, "year").values(
            year=year, state="open", openings=0, opening_total=0, carried=0,
            **{k: v.value for k, v in stamp.items()}))
        row = _lock(session, year)
        assert row is not None
    reasons = close_blockers(session, year, today, visible_to(kernel, actor))
    if reasons:
        raise Refused(reasons)
    written = write_close(session, year, stamp)
    row.openings, row.opening_total, row.carried = written.openings, written.total, written.carried
    row.supplier_openings, row.supplier_total = written.suppliers, written.payable
    row.state, row.closed_at, row.closed_by_id = "closed", utcnow(), actor.user_id or None
    row.reopened_at = row.reopened_by_id = None
    session.flush()
    return row


# What "the new year has begun" reads (fiscal_checks._first_of): its documents and its money.
NEW_YEAR_TABLES = ("finance_invoice", "finance_proforma", "finance_purchase", "finance_receipt", "finance_payment",
                   "finance_purchase_payment")


def _hold_new_year(session: Session) -> None:
    """On PostgreSQL, the tables whose rows would begin the new year, in SHARE mode until the undo
    commits: a document or a payment being written now (dated in the new year, which takes no
    year lock: its year cannot be closed) is waited for and then seen by the check below, and one
    started meanwhile waits for the undo. Undoing a close is rare and takes a fraction of a second;
    every other write of these tables waits that long. On SQLite the undo's write transaction
    holds the database's write lock from its first statement: nothing is written meanwhile."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"LOCK TABLE {', '.join(NEW_YEAR_TABLES)} IN SHARE MODE"))


def reopen(kernel: Any, session: Session, actor: Actor, year: int) -> FiscalYear:
    """Undo the close of ``year``: :class:`Refused` with the reason once the new year has an
    issued document or a recorded payment; else its openings and carried items are removed."""
    if not actor.can(CLOSE):
        raise PermissionDenied(CLOSE)
    hold_year(session, year, exclusive=True)  # a write refused meanwhile waits, then finds it open
    _hold_new_year(session)
    row = _lock(session, year)
    reasons = reopen_blockers(session, year, visible_to(kernel, actor))
    if reasons or row is None:
        raise Refused(reasons or [Blocker("The fiscal year {year} is not closed", {"year": str(year)})])
    remove_close(session, year)
    row.state, row.reopened_at, row.reopened_by_id = "open", utcnow(), actor.user_id or None
    row.openings, row.opening_total, row.carried, row.supplier_openings, row.supplier_total = 0, 0, 0, 0, 0
    session.flush()
    return row

