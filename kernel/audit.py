"""Change history (KER-07) for every business record, whichever code path changed it.

History is written from SQLAlchemy session events rather than from the resource views, so a
module's own services, imports and jobs leave the same trail as the forms do.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, event, insert, inspect
from sqlalchemy.orm import Session

from kernel.db import Record, acting_user_id, insert_rows, utcnow
from kernel.models import History

_SKIP = {"updated_at", "updated_by_id", "created_at", "created_by_id", "search_key", "sort_key"}


# Values JSON writes as they are (_jsonable would give them back unchanged).
_AS_IS = frozenset({str, int, bool, float})
# One encoder for every history row: json.dumps with options builds a new one per call.
_encode = json.JSONEncoder(ensure_ascii=False, default=str).encode


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def _stamp(session: Session, _ctx: Any, _instances: Any) -> None:
    """Fill created/updated by and the owner before rows are written."""
    uid = acting_user_id(session)
    with session.no_autoflush:
        for obj in (*session.new, *session.dirty):
            if isinstance(obj, Record):
                obj.before_save()
    for obj in session.new:
        if isinstance(obj, Record):
            stamp_new(obj, uid)
    for obj in session.dirty:
        if isinstance(obj, Record) and session.is_modified(obj, include_collections=False):
            obj.updated_by_id = uid


def stamp_new(obj: Any, uid: int | None) -> None:
    """Who created a new row and who owns it; ``obj`` is a mapped object or, for the bulk writes
    of :mod:`kernel.records`, a plain object holding the row's values as attributes."""
    obj.created_by_id = obj.created_by_id or uid
    obj.updated_by_id = obj.updated_by_id or uid
    if obj.owner_id is None:
        obj.owner_id = uid


def created_changes(values: Mapping[str, Any]) -> dict[str, list[Any]]:
    """A new row's history: every value it was written with (``values`` by attribute, in the
    mapper's column order, so the JSON reads the same whichever path wrote the row)."""
    return {key: [None, value if type(value) in _AS_IS else _jsonable(value)] for key, value in values.items()
            if value is not None and key != "id" and key not in _SKIP}


def _changes(obj: Record, new: bool) -> dict[str, list[Any]]:
    state = inspect(obj)
    if new:
        return created_changes({attr.key: getattr(obj, attr.key) for attr in state.mapper.column_attrs})
    out: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIP:
            continue
        hist = state.attrs[attr.key].history
        if hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            val = hist.added[0] if hist.added else None
            if old != val:
                out[attr.key] = [_jsonable(old), _jsonable(val)]
    return out


def _record(session: Session, _ctx: Any) -> None:
    uid = acting_user_id(session)
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for obj in session.new:
        if isinstance(obj, Record):
            rows.append(_row(_table_name(obj), obj.id, "create", _changes(obj, True), uid, now))
    for obj in session.dirty:
        if isinstance(obj, Record):
            changes = _changes(obj, False)
            if not changes:
                continue
            action = "update"
            if "deleted_at" in changes:
                action = "delete" if changes["deleted_at"][1] else "restore"
            rows.append(_row(_table_name(obj), obj.id, action, changes, uid, now))
    for obj in session.deleted:
        if isinstance(obj, Record):
            rows.append(_row(_table_name(obj), obj.id, "purge", {}, uid, now))
    if rows:
        session.connection().execute(insert(History), rows)


def record_created(session: Session, table_name: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """History of rows written without the ORM (the bulk creates of :mod:`kernel.records`),
    as :func:`_record` writes it after a flush: from the values written, by one INSERT."""
    uid = acting_user_id(session)
    now = utcnow()
    history = [_row(table_name, row["id"], "create", created_changes(row), uid, now) for row in rows]
    insert_rows(session.connection(), cast(Table, History.__table__), history)


def _table_name(obj: Record) -> str:
    return type(obj).__table__.name  # type: ignore[attr-defined]


def _row(table_name: str, record_id: int, action: str, changes: dict[str, Any], uid: int | None,
         now: dt.datetime) -> dict[str, Any]:
    return {
        "table_name": table_name,
        "record_id": record_id,
        "action": action,
        "user_id": uid,
        "at": now,
        "changes": _encode(changes),
    }


# What install() listens with: kernel.records' bulk writes do this work themselves, and only when
# nobody else listens.
BEFORE_FLUSH = (_stamp,)
AFTER_FLUSH = (_record,)


def install(session_class: type[Session]) -> None:
    """Attach the history listeners to the kernel's session class (idempotent)."""
    if not event.contains(session_class, "before_flush", _stamp):
        event.listen(session_class, "before_flush", _stamp)
        event.listen(session_class, "after_flush", _record)
