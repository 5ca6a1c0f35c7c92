"""The watched columns of a row as one flush changes them, for the mapper events that keep
figures beside the documents (``customer_totals``, ``standing``): the values before the flush and
as it writes them, or those of a row just inserted.

Its own module, importing no model, so that either keeper can be imported first: the models'
package imports both keepers at its end (their events must be listening before any write)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm.attributes import set_committed_value

_MISSING = object()


def _stored(connection: Connection, model: Any, doc_id: int,
            watched: tuple[str, ...]) -> Mapping[str, Any]:
    """The row's watched columns as the database holds them (before this flush's UPDATE)."""
    row = connection.execute(select(*(getattr(model, a) for a in watched)).where(model.id == doc_id)).one()
    return dict(zip(watched, row, strict=True))


def before_and_after(model: Any, connection: Connection, target: Any,
                     watched: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The watched values before this flush and as it writes them. The history gives both without
    a query; a value replaced before it was ever loaded, or never loaded, is read from the row.
    (The customers' totals' and the customers' standing's, each with its own columns.)"""
    state = inspect(target)
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for name in watched:
        hist = state.attrs[name].history
        if hist.added:
            new[name], old[name] = hist.added[0], hist.deleted[0] if hist.deleted else _MISSING
        elif hist.unchanged:
            new[name] = old[name] = hist.unchanged[0]
        else:
            new[name] = old[name] = _MISSING
    if any(v is _MISSING for v in old.values()):
        stored = _stored(connection, model, target.id, watched)
        old = {k: stored[k] if v is _MISSING else v for k, v in old.items()}
        new = {k: stored[k] if v is _MISSING else v for k, v in new.items()}
    return old, new


def inserted_values(mapper: Any, connection: Connection, target: Any,
                    watched: tuple[str, ...]) -> dict[str, Any]:
    """The watched values of a row just inserted (``after_insert``)."""
    values = {a: target.__dict__.get(a, _MISSING) for a in watched}
    for name, value in values.items():
        column = mapper.columns[name]
        if value is _MISSING and column.default is None and column.server_default is None:
            # Never set (deleted_at): the row holds NULL. Kept as loaded, so that the row's next
            # UPDATE in this session knows its old value without reading the row.
            values[name] = None
            set_committed_value(target, name, None)
    if any(v is _MISSING for v in values.values()):  # a server default: read back
        values = {**_stored(connection, mapper.class_, target.id, watched),
                  **{k: v for k, v in values.items() if v is not _MISSING}}
    return values
