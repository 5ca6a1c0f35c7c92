"""Keep every resource's normalised ``search_key`` and alphabetical ``sort_key`` right,
whichever code path wrote the row.

Set before each flush (not in the resource views), so imports, services, jobs and demo data
produce searchable rows too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from kernel.persian.collation import sort_key
from kernel.persian.textnorm import search_key

SEARCH_ATTR = "__peyvand_search_fields__"
SORT_ATTR = "__peyvand_sort_field__"


def compute(obj: Any, fields: tuple[tuple[str, str], ...]) -> str:
    parts: list[str] = []
    for name, kind in fields:
        value = getattr(obj, name)
        if value is None or value == "":
            continue
        parts.append(str(value))
        # Phones are stored as +98…; people type 09… — both forms must be found.
        if kind == "phone" and str(value).startswith("+98"):
            parts.append("0" + str(value)[3:])
    return "|".join(search_key(p) for p in parts)[:2000]


def fill(obj: Any, model: type) -> None:
    """Set ``obj``'s keys as ``model`` declares them; ``obj`` is a mapped object or, for the bulk
    writes of :mod:`kernel.records`, a plain object holding the row's values as attributes."""
    fields = getattr(model, SEARCH_ATTR, None)
    if fields:
        obj.search_key = compute(obj, fields)
    sort_field = getattr(model, SORT_ATTR, None)
    if sort_field:
        obj.sort_key = sort_key(getattr(obj, sort_field))


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in (*session.new, *session.dirty):
        fill(obj, type(obj))


# What install() listens with (see kernel.audit.BEFORE_FLUSH).
BEFORE_FLUSH = (_before_flush,)


def register(model: type, fields: tuple[tuple[str, str], ...]) -> None:
    setattr(model, SEARCH_ATTR, fields)


def register_sort(model: type, field: str) -> None:
    setattr(model, SORT_ATTR, field)


def install(session_class: type[Session]) -> None:
    if not event.contains(session_class, "before_flush", _before_flush):
        event.listen(session_class, "before_flush", _before_flush)
