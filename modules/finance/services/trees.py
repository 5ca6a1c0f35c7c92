"""Group trees (partner groups, product groups): a group and the groups above it."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session


def ancestors(session: Session, model: Any, start: int | None) -> list[int]:
    """``start`` and every group above it, nearest first (a loop, if one slipped in, ends it)."""
    return ancestors_of(session, model, [start])[start] if start is not None else []


@cache
def _walk_up(table: Any) -> Any:
    """The recursive walk of one table, built once (building a CTE costs a millisecond of CPU;
    ``starts`` is one expanding parameter, so its compiled form is cached too)."""
    up = select(table.c.id, table.c.parent_id).where(table.c.id.in_(bindparam("starts", expanding=True))) \
        .cte("up", recursive=True)
    up = up.union(select(table.c.id, table.c.parent_id).join(up, table.c.id == up.c.parent_id))
    return select(up.c.id, up.c.parent_id)


def ancestors_of(session: Session, model: Any, starts: Iterable[int | None]) -> dict[int, list[int]]:
    """:func:`ancestors` of several groups by one statement (a document's lines have products
    of many groups): a recursive walk up the tree in SQL, then each chain in Python. ``UNION``
    (not ``UNION ALL``) drops a row met twice, so a loop in the tree ends the walk too."""
    wanted = {s for s in starts if s is not None}
    if not wanted:
        return {}
    parent = {row.id: row.parent_id for row in session.execute(_walk_up(model.__table__), {"starts": list(wanted)})}
    out: dict[int, list[int]] = {}
    for start in wanted:
        chain: list[int] = []
        current: int | None = start
        while current is not None and current not in chain:
            chain.append(current)
            current = parent.get(current)
        out[start] = chain
    return out
