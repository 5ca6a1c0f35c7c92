"""Change history (KER-07) for every business record, whichever code path changed it.

History is written from SQLAlchemy session events rather than from the resource views, so a
module's own services, imports and jobs leave the same trail as the forms do.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from kernel.db import Record, acting_user_id, utcnow
from kernel.models import History

_SKIP = {"updated_at", "updated_by_id", "created_at", "created_by_id", "search_key", "sort_key"}


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
            obj.created_by_id = obj.created_by_id or uid
            obj.updated_by_id = obj.updated_by_id or uid
            if obj.owner_id is None:
                obj.owner_id = uid
    for obj in session.dirty:
        if isinstance(obj, Record) and session.is_modified(obj, include_collections=False):
            obj.updated_by_id = uid


def _changes(obj: Record, new: bool) -> dict[str, list[Any]]:
    state = inspect(obj)
    out: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIP:
            continue
        if new:
            value = getattr(obj, attr.key)
            if value is not None and attr.key != "id":
                out[attr.key] = [None, _jsonable(value)]
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
            rows.append(_row(obj, "create", _changes(obj, True), uid, now))
    for obj in session.dirty:
        if isinstance(obj, Record):
            changes = _changes(obj, False)
            if not changes:
                continue
            action = "update"
            if "deleted_at" in changes:
                action = "delete" if changes["deleted_at"][1] else "restore"
            rows.append(_row(obj, action, changes, uid, now))
    for obj in session.deleted:
        if isinstance(obj, Record):
            rows.append(_row(obj, "purge", {}, uid, now))
    if rows:
        session.connection().execute(insert(History), rows)


def _row(obj: Record, action: str, changes: dict[str, Any], uid: int | None, now: dt.datetime) -> dict[str, Any]:
    return {
        "table_name": type(obj).__table__.name,  # type: ignore[attr-defined]
        "record_id": obj.id,
        "action": action,
        "user_id": uid,
        "at": now,
        "changes": json.dumps(changes, ensure_ascii=False, default=str),
    }


def install(session_class: type[Session]) -> None:
    """Attach the history listeners to the kernel's session class (idempotent)."""
    if not event.contains(session_class, "before_flush", _stamp):
        event.listen(session_class, "before_flush", _stamp)
        event.listen(session_class, "after_flush", _record)
