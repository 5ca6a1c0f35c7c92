"""Keeping ``finance_customer_total`` (:mod:`modules.finance.models.customer_total`) in step with
the documents, in the transaction of each change.

A document **counts** for its customer while it is live and in a counted state — a proforma once
issued (``issued`` or ``converted``), an invoice while ``issued`` (the states report (c) has
always used) — with its grand total, under its kind (goods or services) and the Jalali year of
its date. Every change of a document is the change of that share: the old share leaves its rows,
the new one joins (issue, convert, cancel, void, an edit of an issued document's lines or header
— its total, date, kind or customer —, the recycle bin, a merge of two partners moving it).

Where: SQLAlchemy's mapper events of ``Proforma`` and ``Invoice`` (insert, update, delete), which
every path that writes a document through the ORM passes — the services, the forms, the API, the
line editor, the recycle bin, base's merge — so no path can forget it. The old share is read from
the attributes' history (the row itself when the value was not loaded), and the rows are changed
by one ``INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n`` on the flush's own connection:
increments, so two transactions adding to one customer each add theirs (the row lock orders
them), and a savepoint rolled back takes its increments back with it. Mapper events, not a
session's ``before_flush``: the kernel writes other models' bulk creations without the ORM only
while the session has no flush listener it does not know (``kernel.records._direct_plan``).

The one write that bypasses the ORM is the conversion's claim (``UPDATE … SET state='converted'``
in :func:`modules.finance.services.issuing.convert`); it calls :func:`counted_now` for a proforma
that was still a draft. A database filled before this table existed is counted once by the
migration that creates it (``a7d4c2e9b1f6``); :func:`recount` does the same for a repair.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import delete, event, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from kernel.persian.jalali import to_jalali
from modules.finance.models.customer_total import ALL_YEARS, CELLS, CustomerTotal
from modules.finance.models.document import Invoice, Proforma
from modules.finance.watched import before_and_after, inserted_values

COUNTED: dict[Any, tuple[str, ...]] = {Proforma: ("issued", "converted"), Invoice: ("issued",)}
WATCHED = ("partner_id", "date", "kind", "grand_total", "state", "deleted_at")
_KINDS = {"goods": "goods", "service": "services"}
# Every kept column, in one order: each cell's count and total, then offered and invoiced.
COLUMNS = (*(c for cell in CELLS for c in (cell, f"{cell}_total")), "offered", "invoiced")


@dataclass(frozen=True)
class Share:
    """What one document adds to its customer's rows."""

    partner_id: int
    year: int
    cell: str  # one of CELLS
    total: int


def share_of(model: type, values: Mapping[str, Any]) -> Share | None:
    """The document's share, or None when it does not count (a draft, void, cancelled, deleted)."""
    kind = _KINDS.get(values["kind"] or "")
    if values["state"] not in COUNTED[model] or values["deleted_at"] is not None or kind is None:
        return None
    day = values["date"]
    if isinstance(day, dt.datetime):
        day = day.date()
    prefix = "invoice" if model is Invoice else "proforma"
    return Share(int(values["partner_id"]), int(to_jalali(day).year), f"{prefix}_{kind}", int(values["grand_total"] or 0))


def deltas(changes: Iterable[tuple[Share | None, int]]) -> dict[tuple[int, int], list[int]]:
    """The change of each (customer, year) row, ``COLUMNS`` apart, of shares leaving (-1) and
    joining (+1); the all-years row takes every share too. Rows that do not change are left out."""
    out: dict[tuple[int, int], list[int]] = {}
    for share, sign in changes:
        if share is None:
            continue
        at = COLUMNS.index(share.cell)
        total_at = COLUMNS.index("invoiced" if share.cell.startswith("invoice") else "offered")
        for year in (share.year, ALL_YEARS):
            row = out.setdefault((share.partner_id, year), [0] * len(COLUMNS))
            row[at] += sign
            row[at + 1] += sign * share.total
            row[total_at] += sign * share.total
    return {key: row for key, row in out.items() if any(row)}


def apply(connection: Connection, changed: Mapping[tuple[int, int], list[int]]) -> None:
    """Add the changes to the rows (made when missing) in one statement; rows left without any
    document are deleted, so the table holds exactly the customers that have some."""
    if not changed:
        return
    table: Any = CustomerTotal.__table__
    # Sorted: two transactions changing the same rows lock them in the same order.
    rows = [{"partner_id": pid, "year": year, **dict(zip(COLUMNS, row, strict=True))}
            for (pid, year), row in sorted(changed.items())]
    connection.execute(_upsert(connection.dialect.name), rows)
    emptied = [key for key, row in changed.items() if any(row[COLUMNS.index(cell)] < 0 for cell in CELLS)]
    if emptied:
        connection.execute(delete(table).where(tuple_(table.c.partner_id, table.c.year).in_(emptied),
                                               *(table.c[cell] == 0 for cell in CELLS)))


@cache
def _upsert(dialect: str) -> Any:
    """The increments' statement, built once: run with the rows as an executemany, it is compiled
    once too (a multi-row ``VALUES`` is compiled anew for every call: 1–2 ms of each issue)."""
    table: Any = CustomerTotal.__table__
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    return stmt.on_conflict_do_update(index_elements=["partner_id", "year"],
                                      set_={c: table.c[c] + stmt.excluded[c] for c in COLUMNS})


def counted_now(connection: Connection, model: type, doc: Any) -> None:
    """A document that the ORM did not see begin to count (the conversion's claim)."""
    apply(connection, deltas([(share_of(model, {a: getattr(doc, a) for a in WATCHED}), 1)]))


# -- the mapper events -------------------------------------------------------------------------
def _updated(mapper: Any, connection: Connection, target: Any) -> None:
    model = mapper.class_
    old, new = before_and_after(model, connection, target, WATCHED)
    apply(connection, deltas([(share_of(model, old), -1), (share_of(model, new), 1)]))


def _inserted(mapper: Any, connection: Connection, target: Any) -> None:
    values = inserted_values(mapper, connection, target, WATCHED)
    apply(connection, deltas([(share_of(mapper.class_, values), 1)]))


def _deleted(mapper: Any, connection: Connection, target: Any) -> None:
    model = mapper.class_
    old, _new = before_and_after(model, connection, target, WATCHED)
    apply(connection, deltas([(share_of(model, old), -1)]))


def watch() -> None:
    """Keep the table on every flush of a document (once per process, when this is imported:
    ``modules.finance.models`` imports it after the documents' models)."""
    for model in (Proforma, Invoice):
        for name, fn in (("after_insert", _inserted), ("before_update", _updated), ("before_delete", _deleted)):
            if not event.contains(model, name, fn):
                event.listen(model, name, fn)


watch()


# -- counting afresh ---------------------------------------------------------------------------
def counted(session: Any) -> dict[tuple[int, int], list[int]]:
    """Every (customer, year) row recounted from the documents themselves, in Python: what the
    table must hold (tests compare it; a repair writes it with :func:`recount`)."""
    out: list[tuple[Share | None, int]] = []
    for model in (Proforma, Invoice):
        stmt = select(*(getattr(model, a) for a in WATCHED)).where(
            model.state.in_(COUNTED[model]), model.deleted_at.is_(None))
        out += [(share_of(model, dict(zip(WATCHED, row, strict=True))), 1) for row in session.execute(stmt)]
    return deltas(out)


def kept(session: Any) -> dict[tuple[int, int], list[int]]:
    """The table's rows, as :func:`counted` gives them."""
    cols = [CustomerTotal.partner_id, CustomerTotal.year, *(getattr(CustomerTotal, c) for c in COLUMNS)]
    return {(int(r[0]), int(r[1])): [int(v) for v in r[2:]] for r in session.execute(select(*cols))}


def recount(session: Any) -> None:
    """Write the table afresh from the documents (a repair; the migration's backfill is SQL)."""
    session.execute(delete(CustomerTotal))
    rows = sorted(counted(session).items())
    for start in range(0, len(rows), 2000):  # 12 parameters a row: under PostgreSQL's 65,535
        apply(session.connection(), dict(rows[start:start + 2000]))

