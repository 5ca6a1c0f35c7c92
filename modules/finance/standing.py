"""Keeping ``finance_customer_standing`` (:mod:`modules.finance.models.standing`) in step with the
history, in the transaction of each change — as :mod:`modules.finance.customer_totals` keeps the
customers' totals, and by the same means.

What changes a customer's row, and how it is seen (SQLAlchemy mapper events, which every path
that writes through the ORM passes: services, forms, the API, the recycle bin, base's merge):

* an **invoice** (``finance_invoice``): while issued and live it adds its ``balance`` (kept by
  the receipts, :mod:`services.receipts`) and one invoice — issue, receipt, edit, void; a change
  of its customer also moves its plan rows' counts;
* a **plan row** (``finance_instalment``): once paid, on time or late (by ``paid_on −
  due_date`` days) — payments, cheques clearing or bouncing, deleted receipts, a replaced plan;
* a **cheque's history** (``finance_cheque_event``, rows never edited): a bounce, a legal
  follow-up, a bounced cheque given back (``returned`` from ``bounced`` or ``legal``); a change of
  the cheque's customer moves its counts.

The counts change by increments (``INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n``,
:func:`modules.finance.customer_totals`-style), so two transactions adding to one customer each add
theirs; then, the row locked by that statement, the customer's **overdue** rows (unpaid, of an
issued invoice, due before today) are counted afresh and the score and band written
(:func:`settle`): a statement run after the lock is granted sees what the other committed.

**Overdue depends on today.** A row that merely falls due changes nothing in the database, so the
daily job ``finance.standing_overdue`` (:func:`refresh_overdue`, run hourly, working once a day)
settles the customers whose unpaid rows fell due since its last day (one range of the due-date
index). Between a midnight and its next run (≤ 1 hour) a list may show yesterday's overdue count;
the profile panel and the plan page count it live (:func:`live_counts`).
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from sqlalchemy import delete, event, func, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from kernel.timezone import DEFAULT_TZ, local_today
from modules.finance.models import Cheque, ChequeEvent, Instalment, Invoice
from modules.finance.models.standing import COUNTED, CustomerStanding
from modules.finance.score import Counts, band, kept_score
from modules.finance.watched import before_and_after, inserted_values

INVOICE_WATCHED = ("partner_id", "state", "deleted_at", "balance")
ROW_WATCHED = ("invoice_id", "state", "paid_on", "due_date", "deleted_at")
CHEQUE_WATCHED = ("partner_id",)
BAD_STATES = ("bounced", "legal", "returned")
MARKER = "finance.standing_overdue_day"  # the last day refresh_overdue settled
JOB = "finance.standing_overdue"
_PENDING = "finance_standing"  # the partners to settle after this row's UPDATE (InstanceState.info)
# The users' time zone per database, for "today" inside a flush (set by the module's hooks).
ZONES: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()
Delta = dict[str, int]


def today_of(connection: Connection) -> dt.date:
    return local_today(ZONES.get(connection.engine, DEFAULT_TZ))


# -- what each row adds ------------------------------------------------------------------------
def invoice_share(values: Mapping[str, Any]) -> Delta:
    if values["state"] != "issued" or values["deleted_at"] is not None:
        return {}
    return {"balance": int(values["balance"] or 0), "invoices": 1}


def _day(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else dt.date.fromisoformat(str(value)[:10])


def row_share(values: Mapping[str, Any] | Any) -> Delta:
    """A plan row's counts: once paid, on time or late by its days."""
    if values["state"] != "paid" or values["deleted_at"] is not None or values["paid_on"] is None:
        return {}
    late = (_day(values["paid_on"]) - _day(values["due_date"])).days
    return {"late": 1, "late_days": late} if late > 0 else {"on_time": 1}


def event_share(from_state: str | None, to_state: str) -> Delta:
    """A line of a cheque's history: a bounce, a legal follow-up, a bounced cheque given back."""
    if to_state in ("bounced", "legal"):
        return {to_state: 1}
    if to_state == "returned" and from_state in ("bounced", "legal"):
        return {"returned": 1}
    return {}


def _add(out: dict[int, Delta], partner_id: Any, share: Delta, sign: int) -> None:
    if partner_id is None:
        return
    row = out.setdefault(int(partner_id), {})
    for key, value in share.items():
        row[key] = row.get(key, 0) + sign * value


# -- writing -----------------------------------------------------------------------------------
def apply(connection: Connection, changed: Mapping[int, Delta]) -> None:
    """Add the changes to the customers' rows (made when missing) in one statement."""
    rows = [{"partner_id": pid, **{c: delta.get(c, 0) for c in COUNTED}}
            for pid, delta in sorted(changed.items()) if any(delta.values())]  # sorted: one lock order
    if not rows:
        return
    connection.execute(_upsert(connection.dialect.name), rows)


@cache
def _upsert(dialect: str) -> Any:
    """The increments' statement, built (and, run as an executemany, compiled) once."""
    table: Any = CustomerStanding.__table__
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    return stmt.on_conflict_do_update(index_elements=["partner_id"],
                                      set_={c: table.c[c] + stmt.excluded[c] for c in COUNTED})


def overdue_of(connection: Connection, partner_ids: Iterable[int], today: dt.date) -> dict[int, int]:
    """How many unpaid rows of issued invoices each customer has past their due date."""
    ids = sorted(set(partner_ids))
    if not ids:
        return {}
    stmt = (select(Invoice.partner_id, func.count(Instalment.id))
            .join(Invoice, Invoice.id == Instalment.invoice_id)
            .where(Invoice.partner_id.in_(ids), *_overdue(today)).group_by(Invoice.partner_id))
    return {int(pid): int(n) for pid, n in connection.execute(stmt)}


def _overdue(today: dt.date) -> tuple[Any, ...]:
    """An unpaid live row of an issued invoice, past its due date."""
    return (Invoice.state == "issued", Invoice.deleted_at.is_(None), Instalment.deleted_at.is_(None),
            Instalment.state != "paid", Instalment.due_date < today)


def counts_of(row: Mapping[str, Any] | Any, overdue: int) -> Counts:
    return Counts(on_time=int(row["on_time"]), late=int(row["late"]), late_days=int(row["late_days"]),
                  overdue=overdue, bounced=int(row["bounced"]), legal=int(row["legal"]),
                  returned=int(row["returned"]))


def settle(connection: Connection, partner_ids: Iterable[int], today: dt.date | None = None) -> None:
    """Count the customers' overdue rows afresh and write their score and band; a row left with
    nothing to hold is deleted (the table holds the customers with some history)."""
    ids = sorted(set(partner_ids))
    if not ids:
        return
    table: Any = CustomerStanding.__table__
    # One statement: each row with its overdue rows counted now (a correlated count).
    counted_now = (select(func.count(Instalment.id)).join(Invoice, Invoice.id == Instalment.invoice_id)
                   .where(Invoice.partner_id == table.c.partner_id, *_overdue(today or today_of(connection)))
                   .scalar_subquery().label("overdue_now"))
    for row in connection.execute(select(table, counted_now).where(table.c.partner_id.in_(ids))).mappings():
        pid = int(row["partner_id"])
        overdue = int(row["overdue_now"])
        if overdue == 0 and not any(row[c] for c in COUNTED):
            connection.execute(delete(table).where(table.c.partner_id == pid))
            continue
        value = kept_score(counts_of(row, overdue))
        if (row["overdue"], row["score"], row["band"]) != (overdue, value, band(value)):
            connection.execute(update(table).where(table.c.partner_id == pid)
                               .values(overdue=overdue, score=value, band=band(value)))


def _partner_of(connection: Connection, model: Any, rid: Any) -> int | None:
    if rid is None:
        return None
    found = connection.execute(select(model.partner_id).where(model.id == rid)).scalar()
    return None if found is None else int(found)


def _keep(connection: Connection, target: Any, changed: dict[int, Delta]) -> None:
    """Apply the increments now; settle the customers after the row's own UPDATE is written."""
    apply(connection, changed)
    inspect(target).info.setdefault(_PENDING, set()).update(changed)


def _settle_pending(mapper: Any, connection: Connection, target: Any) -> None:
    pending = inspect(target).info.pop(_PENDING, None)
    if pending:
        settle(connection, pending)


# -- the mapper events -------------------------------------------------------------------------
def _rows_of_invoice(connection: Connection, invoice_id: int) -> Delta:
    out: dict[int, Delta] = {}
    stmt = select(*(getattr(Instalment, a) for a in ROW_WATCHED)).where(Instalment.invoice_id == invoice_id)
    for values in connection.execute(stmt).mappings():
        _add(out, 0, row_share(values), 1)
    return out.get(0, {})


def _invoice_updated(mapper: Any, connection: Connection, target: Any) -> None:
    old, new = before_and_after(Invoice, connection, target, INVOICE_WATCHED)
    if old == new:
        return
    changed: dict[int, Delta] = {}
    _add(changed, old["partner_id"], invoice_share(old), -1)
    _add(changed, new["partner_id"], invoice_share(new), 1)
    moved = old["partner_id"] != new["partner_id"]
    if moved:  # its plan rows' counts go with it
        rows = _rows_of_invoice(connection, target.id)
        _add(changed, old["partner_id"], rows, -1)
        _add(changed, new["partner_id"], rows, 1)
    # The score reads no balance, and an invoice being issued has no plan yet: only a void, the
    # recycle bin or a new customer can change the overdue rows (or empty a row).
    left_issued = old["state"] == "issued" and new["state"] != "issued"
    if moved or left_issued or old["deleted_at"] != new["deleted_at"]:
        _keep(connection, target, changed)
    else:
        apply(connection, changed)


def _invoice_inserted(mapper: Any, connection: Connection, target: Any) -> None:
    values = inserted_values(mapper, connection, target, INVOICE_WATCHED)
    changed: dict[int, Delta] = {}
    _add(changed, values["partner_id"], invoice_share(values), 1)
    apply(connection, changed)  # a new invoice has no plan: nothing of the score changes


def _invoice_deleted(mapper: Any, connection: Connection, target: Any) -> None:
    old, _new = before_and_after(Invoice, connection, target, INVOICE_WATCHED)
    changed: dict[int, Delta] = {}
    _add(changed, old["partner_id"], invoice_share(old), -1)
    _keep(connection, target, changed)


def _row_updated(mapper: Any, connection: Connection, target: Any) -> None:
    old, new = before_and_after(Instalment, connection, target, ROW_WATCHED)
    if old == new:  # a plan's recount sets every row; most do not change
        return
    changed: dict[int, Delta] = {}
    _add(changed, _partner_of(connection, Invoice, old["invoice_id"]), row_share(old), -1)
    _add(changed, _partner_of(connection, Invoice, new["invoice_id"]), row_share(new), 1)
    _keep(connection, target, changed)


def _row_inserted(mapper: Any, connection: Connection, target: Any) -> None:
    values = inserted_values(mapper, connection, target, ROW_WATCHED)
    changed: dict[int, Delta] = {}
    _add(changed, _partner_of(connection, Invoice, values["invoice_id"]), row_share(values), 1)
    apply(connection, changed)
    settle(connection, changed)


def _row_deleted(mapper: Any, connection: Connection, target: Any) -> None:
    old, _new = before_and_after(Instalment, connection, target, ROW_WATCHED)
    changed: dict[int, Delta] = {}
    _add(changed, _partner_of(connection, Invoice, old["invoice_id"]), row_share(old), -1)
    _keep(connection, target, changed)


def _history_of(connection: Connection, cheque_id: int) -> Delta:
    out: dict[int, Delta] = {}
    stmt = select(ChequeEvent.from_state, ChequeEvent.to_state).where(ChequeEvent.cheque_id == cheque_id)
    for from_state, to_state in connection.execute(stmt):
        _add(out, 0, event_share(from_state, to_state), 1)
    return out.get(0, {})


def _event_inserted(mapper: Any, connection: Connection, target: Any) -> None:
    share = event_share(target.from_state, target.to_state)
    if share:
        changed: dict[int, Delta] = {}
        _add(changed, _partner_of(connection, Cheque, target.cheque_id), share, 1)
        apply(connection, changed)
        settle(connection, changed)


def _cheque_updated(mapper: Any, connection: Connection, target: Any) -> None:
    old, new = before_and_after(Cheque, connection, target, CHEQUE_WATCHED)
    if old["partner_id"] == new["partner_id"]:
        return
    history = _history_of(connection, target.id)
    changed: dict[int, Delta] = {}
    _add(changed, old["partner_id"], history, -1)
    _add(changed, new["partner_id"], history, 1)
    _keep(connection, target, changed)


def _cheque_deleted(mapper: Any, connection: Connection, target: Any) -> None:
    """A cheque purged takes its history with it (the database cascades): so do its counts."""
    old, _new = before_and_after(Cheque, connection, target, CHEQUE_WATCHED)
    changed: dict[int, Delta] = {}
    _add(changed, old["partner_id"], _history_of(connection, target.id), -1)
    _keep(connection, target, changed)


def watch() -> None:
    """Keep the table on every flush (once per process: ``modules.finance.models`` imports this)."""
    listeners: list[tuple[Any, str, Any]] = [
        (Invoice, "after_insert", _invoice_inserted), (Invoice, "before_update", _invoice_updated),
        (Invoice, "before_delete", _invoice_deleted),
        (Instalment, "after_insert", _row_inserted), (Instalment, "before_update", _row_updated),
        (Instalment, "before_delete", _row_deleted),
        (ChequeEvent, "after_insert", _event_inserted), (Cheque, "before_update", _cheque_updated),
        (Cheque, "before_delete", _cheque_deleted),
    ]
    for model in (Invoice, Instalment, Cheque):
        listeners += [(model, "after_update", _settle_pending), (model, "after_delete", _settle_pending)]
    for model, name, fn in listeners:
        if not event.contains(model, name, fn):
            event.listen(model, name, fn)


watch()


# -- the day's overdue rows --------------------------------------------------------------------
def refresh_overdue(kernel: Any, session: Any, chunk: int = 500) -> int:
    """Settle the customers whose unpaid rows fell due since the last day this ran (the job
    ``finance.standing_overdue``); the number of customers settled. Today's own run changes
    nothing: the range is empty."""
    today = local_today(kernel.config.timezone)
    raw = kernel.setting(session, MARKER)
    since = dt.date.fromisoformat(raw) if raw else today - dt.timedelta(days=1)
    if since >= today:
        return 0
    stmt = (select(Invoice.partner_id).distinct().select_from(Instalment)
            .join(Invoice, Invoice.id == Instalment.invoice_id)
            .where(Instalment.due_date >= since, Instalment.due_date < today, Instalment.state != "paid",
                   Instalment.deleted_at.is_(None), Invoice.state == "issued"))
    ids = sorted(int(pid) for pid in session.scalars(stmt))
    for start in range(0, len(ids), chunk):
        settle(session.connection(), ids[start:start + chunk], today)
    kernel.set_setting(session, MARKER, today.isoformat())
    return len(ids)


# -- counting afresh ---------------------------------------------------------------------------
KEPT = (*COUNTED, "overdue", "score", "band")


def counted(session: Any, today: dt.date | None = None) -> dict[int, dict[str, Any]]:
    """Every customer's row recounted from the invoices, plan rows and cheques' history, in
    Python: what the table must hold (tests compare it; a repair writes it with :func:`recount`)."""
    out: dict[int, Delta] = {}
    for values in session.execute(select(*(getattr(Invoice, a) for a in INVOICE_WATCHED))).mappings():
        _add(out, values["partner_id"], invoice_share(values), 1)
    rows = select(Invoice.partner_id.label("pid"), *(getattr(Instalment, a) for a in ROW_WATCHED)).join(
        Invoice, Invoice.id == Instalment.invoice_id)
    for values in session.execute(rows).mappings():
        _add(out, values["pid"], row_share(values), 1)
    history = select(Cheque.partner_id, ChequeEvent.from_state, ChequeEvent.to_state).join(
        Cheque, Cheque.id == ChequeEvent.cheque_id)
    for pid, from_state, to_state in session.execute(history):
        _add(out, pid, event_share(from_state, to_state), 1)
    over = overdue_of(session.connection(), out, today or today_of(session.connection()))
    result: dict[int, dict[str, Any]] = {}
    for pid, delta in out.items():
        row = {c: delta.get(c, 0) for c in COUNTED}
        if over.get(pid, 0) == 0 and not any(row.values()):
            continue
        value = kept_score(counts_of(row, over.get(pid, 0)))
        result[pid] = {**row, "overdue": over.get(pid, 0), "score": value, "band": band(value)}
    return result


def kept(session: Any) -> dict[int, dict[str, Any]]:
    """The table's rows, as :func:`counted` gives them."""
    table: Any = CustomerStanding.__table__
    return {int(r["partner_id"]): {c: r[c] for c in KEPT} for r in session.execute(select(table)).mappings()}


def recount(session: Any) -> None:
    """Write the table afresh (a repair; the migration's backfill is SQL)."""
    table: Any = CustomerStanding.__table__
    session.execute(delete(table))
    rows = [{"partner_id": pid, **values} for pid, values in sorted(counted(session).items())]
    for start in range(0, len(rows), 2000):  # 13 parameters a row: under PostgreSQL's 65,535
        session.execute(table.insert(), rows[start:start + 2000])
