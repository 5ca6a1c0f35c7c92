"""Payment plans of issued invoices (FIN-08): made (generated or typed), recounted from the
allocations, and their due alarms (FIN-11). Every function runs in the caller's transaction.

A plan is the invoice's live instalments: the cash part (``position`` 0) and instalments 1…N,
their amounts adding up to the grand total. It may be made and changed until a payment is
recorded against it; after that it is fixed (the allocations point at its rows).

Due alarms: each unpaid instalment has one kernel reminder for the invoice's owner, at 09:00
local time ``finance.instalment_alarm_days`` days (a setting, default 3) before its due date —
an alarm in every edition, in the work queue where tasks is installed, as the follow-ups of
proformas ring. Paid, voided or replaced, the reminder stops.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel import (
    Actor,
    Conflict,
    InputError,
    PermissionDenied,
    cancel_reminder,
    create_reminder,
    update_reminder,
)
from kernel.db import utcnow
from kernel.persian.jalali import format_jalali
from kernel.persian.textnorm import to_persian_digits
from kernel.records import FormErrors, get_record
from kernel.reminders.models import Reminder
from kernel.timezone import local_today, to_utc
from modules.finance.models import Allocation, Instalment, Invoice, Payment
from modules.finance.models.plan import LIVE
from modules.finance.plan_dates import monthly, split
from modules.finance.services.documents import note_history
from modules.finance.services.receipts import lock_invoice

PLAN = "finance.invoice.plan"
ALARM_DAYS = "finance.instalment_alarm_days"
DEFAULT_ALARM_DAYS = 3
MAX_INSTALMENTS = 120
ALARM_HOUR = dt.time(9, 0)


def instalments(session: Session, invoice_id: int) -> list[Instalment]:
    """The invoice's plan in its order: the cash part first."""
    return list(session.scalars(select(Instalment).where(Instalment.invoice_id == invoice_id,
                                                         Instalment.deleted_at.is_(None))
                                .order_by(Instalment.position, Instalment.id)))


def locked_invoice(kernel: Any, session: Session, actor: Actor, invoice_id: int) -> Invoice:
    """The invoice as the actor may see it (NotFound outside the scope), its row locked: plans
    and payments of one invoice are written one after the other."""
    get_record(kernel, session, actor, kernel.resources["finance.invoice"], invoice_id)
    inv = lock_invoice(session, invoice_id)
    assert inv is not None
    if inv.state != "issued" or inv.deleted_at is not None:
        raise Conflict("A payment plan belongs to an issued invoice")
    return inv


def has_payments(session: Session, invoice_id: int) -> bool:
    return session.scalar(select(Payment.id).where(Payment.invoice_id == invoice_id, Payment.deleted_at.is_(None),
                                                   Payment.state.in_(LIVE)).limit(1)) is not None


def generate(kernel: Any, session: Session, actor: Actor, invoice_id: int, *, cash: int, count: int,
             first: dt.date | None, every: int = 1, cash_on: dt.date | None = None) -> list[Instalment]:
    """A plan of ``cash`` Rials now and the rest in ``count`` instalments monthly (every
    ``every`` months) on the Jalali day of ``first``, the remainder on the last one."""
    errors: dict[str, InputError] = {}
    if not 0 <= count <= MAX_INSTALMENTS:
        errors["count"] = InputError("Between 0 and {n} instalments", n=MAX_INSTALMENTS)
    if not 1 <= every <= 12:
        errors["every"] = InputError("Every 1 to 12 months")
    if count and first is None:
        errors["first"] = InputError("Give the due date of the first instalment")
    if errors:
        raise FormErrors(errors)
    inv = session.get(Invoice, invoice_id)
    total = inv.grand_total if inv is not None else 0
    rest = total - cash
    if count and rest <= 0:
        raise FormErrors({"cash": InputError("Nothing is left for the instalments: lower the cash part")})
    dates = monthly(first, count, every) if count and first else []
    return save(kernel, session, actor, invoice_id, cash=cash, cash_on=cash_on,
                parts=list(zip(dates, split(rest, count), strict=True)))


def save(kernel: Any, session: Session, actor: Actor, invoice_id: int, *, cash: int, cash_on: dt.date | None,
         parts: Sequence[tuple[dt.date, int]]) -> list[Instalment]:
    """Make or replace the plan: ``cash`` due on ``cash_on`` (the invoice's date when empty) and
    the instalments ``parts`` (due date, amount). Refused on its fields, nothing changed, unless
    the amounts add up to the grand total; refused as a whole once a payment was recorded."""
    if not actor.can(PLAN):
        raise PermissionDenied(PLAN)
    inv = locked_invoice(kernel, session, actor, invoice_id)
    if has_payments(session, inv.id):
        raise Conflict("The plan is fixed once a payment was recorded against it")
    errors: dict[str, InputError] = {}
    if cash < 0:
        errors["cash"] = InputError("The amount cannot be negative")
    for i, (_, amount) in enumerate(parts, start=1):
        if amount <= 0:
            errors[f"amount_{i}"] = InputError("The amount must be more than zero")
    if not parts and cash == 0:
        errors["cash"] = InputError("Give the cash part or at least one instalment")
    total = cash + sum(a for _, a in parts)
    if not errors and total != inv.grand_total:
        errors["cash"] = InputError("The plan adds up to {sum} Rials; it must equal the invoice's total of "
                                    "{total} Rials", sum=f"{total:,}", total=f"{inv.grand_total:,}")
    if errors:
        raise FormErrors(errors)
    old = instalments(session, inv.id)
    for row in old:
        row.deleted_at = utcnow()
        _stop_alarm(session, row)
    rows: list[Instalment] = []
    if cash:
        rows.append(Instalment(invoice_id=inv.id, position=0, is_cash=True, due_date=cash_on or inv.date,
                               amount=cash, owner_id=inv.owner_id))
    rows += [Instalment(invoice_id=inv.id, position=i, due_date=day, amount=amount, owner_id=inv.owner_id)
             for i, (day, amount) in enumerate(parts, start=1)]
    session.add_all(rows)
    session.flush()
    _fold_earlier_receipts(kernel, session, inv.id)
    recount(kernel, session, inv.id)
    summary = ", ".join(f"{format_jalali(r.due_date)}: {r.amount:,}" for r in rows)
    note_history(session, inv, {kernel.t("fa", "Payment plan"): [
        to_persian_digits(str(len(old))) if old else None, to_persian_digits(summary)]})
    return rows


def _fold_earlier_receipts(kernel: Any, session: Session, invoice_id: int) -> None:
    """Money received before the plan was made covers its first instalments (as cash)."""
    from modules.finance.models import Receipt
    from modules.finance.services.payments import fold_in

    for receipt in session.scalars(select(Receipt).where(Receipt.invoice_id == invoice_id, Receipt.payment_id.is_(None),
                                                         Receipt.deleted_at.is_(None)).order_by(Receipt.id)):
        fold_in(kernel, session, receipt)


def recount(kernel: Any, session: Session, invoice_id: int) -> list[Instalment]:
    """Each instalment's paid amount from the cleared payments' allocations, its state and the
    day cleared money completed it; the due alarms follow."""
    rows = instalments(session, invoice_id)
    if not rows:
        return rows
    paid = {r.instalment_id: (int(r.paid), r.last) for r in session.execute(
        select(Allocation.instalment_id, func.sum(Allocation.amount).label("paid"),
               func.max(Payment.cleared_on).label("last"))
        .join(Payment, Payment.id == Allocation.payment_id)
        .where(Allocation.instalment_id.in_([r.id for r in rows]), Payment.state == "cleared",
               Payment.deleted_at.is_(None))
        .group_by(Allocation.instalment_id))}
    inv = session.get(Invoice, invoice_id)
    for row in rows:
        row.paid, last = paid.get(row.id, (0, None))
        row.state = "paid" if row.paid >= row.amount else "partly" if row.paid else "open"
        row.paid_on = last if row.state == "paid" else None
        if row.state == "paid" or inv is None or inv.state != "issued":
            _stop_alarm(session, row)
        else:
            _ring(kernel, session, inv, row)
    session.flush()
    return rows


def alarm_days(kernel: Any, session: Session) -> int:
    try:
        return max(0, int(kernel.setting(session, ALARM_DAYS, DEFAULT_ALARM_DAYS)))
    except (TypeError, ValueError):
        return DEFAULT_ALARM_DAYS


def alarm_at(kernel: Any, session: Session, due: dt.date) -> dt.datetime:
    """When the alarm of something due on ``due`` rings: 09:00 local, the set days before."""
    day = due - dt.timedelta(days=alarm_days(kernel, session))
    return to_utc(dt.datetime.combine(day, ALARM_HOUR), kernel.config.timezone)


def live_reminder(session: Session, reminder_id: int | None) -> Reminder | None:
    found = session.get(Reminder, reminder_id) if reminder_id else None
    return found if found is not None and found.active and found.deleted_at is None else None


def ring(kernel: Any, session: Session, reminder_id: int | None, *, user_id: int | None, due: dt.date,
         title: str, link: tuple[str, int]) -> int | None:
    """Keep one reminder for something due on ``due``: moved when the date or the setting
    changed, made when there is none; the reminder's id (None without a user to tell)."""
    if user_id is None:
        return None
    at = alarm_at(kernel, session, due)
    reminder = live_reminder(session, reminder_id)
    if reminder is None:
        return int(create_reminder(session, user_id=user_id, at=at, title=title[:200], link=link).id)
    if reminder.first_at != at or reminder.user_id != user_id:
        update_reminder(session, reminder, at=at, user_id=user_id, title=title[:200])
    return int(reminder.id)


def stop(session: Session, reminder_id: int | None) -> None:
    reminder = live_reminder(session, reminder_id)
    if reminder is not None:
        cancel_reminder(session, reminder)


def _ring(kernel: Any, session: Session, inv: Invoice, row: Instalment) -> None:
    title = kernel.t("fa", "Instalment {n} of invoice {number} falls due on {date}",
                     n=to_persian_digits(str(row.position)) if row.position else kernel.t("fa", "cash part"),
                     number=inv.number or "", date=format_jalali(row.due_date))
    row.reminder_id = ring(kernel, session, row.reminder_id, user_id=inv.owner_id, due=row.due_date, title=title,
                           link=("finance.invoice", inv.id))


def _stop_alarm(session: Session, row: Instalment) -> None:
    stop(session, row.reminder_id)


def today(kernel: Any) -> dt.date:
    return local_today(kernel.config.timezone)
