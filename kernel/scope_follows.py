"""A record's scope follows the record it belongs to (KER-06; issue 9, item 3).

A relation, a preference, a planned call or a task about a partner is as visible as the partner
is, decided at query time, so it moves with the partner: when a partner changes province, what
hangs off it changes scope with it, and nothing copied can go stale. A model says which of its
columns lead to the record it belongs to::

    class Preference(Record, Base):
        __scope_follows__ = ("partner_id",)          # a foreign key to a resource's table

    class Task(Record, Base):
        __scope_follows__ = ("partner_id", "link_id")  # link_id + link_resource: a generic link
        __scope_spares_mine__ = True                 # my task stays mine, its partner unnamed

A row is in the actor's scope when each followed column is empty or points at a record the actor
may view (the target's own ``record_filter`` answers, and its own followed columns, recursively).
With ``__scope_spares_mine__`` a row whose owner columns name the actor stays in scope anyway:
the task given to me about a customer I may not see is still my work (the customer is shown as
"—" by :mod:`kernel.web.cells`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, or_
from sqlalchemy.sql.elements import ColumnElement

from kernel.actor import Actor
from kernel.contracts import KernelView as Kernel
from kernel.resources import SHARED_ATTR

FOLLOWS_ATTR = "__scope_follows__"
SPARES_MINE_ATTR = "__scope_spares_mine__"
OWNER_COLUMNS_ATTR = "__owner_columns__"


def mine(actor: Actor, model: type) -> ColumnElement[bool]:
    """The row names the actor in one of its owner columns."""
    names = getattr(model, OWNER_COLUMNS_ATTR, ("owner_id",))
    return or_(*(getattr(model, n) == actor.user_id for n in names if hasattr(model, n)))


def conditions(kernel: Kernel, actor: Actor, model: type, depth: int = 0) -> list[ColumnElement[bool]]:
    """The conditions a model's ``__scope_follows__`` adds for ``actor`` (none: nothing to add)."""
    follows = getattr(model, FOLLOWS_ATTR, ())
    if not follows or actor.is_admin or depth > 2:
        return []
    if depth == 0 and getattr(model, SPARES_MINE_ATTR, False) and actor.record_scope == "own":
        return []  # the own scope already keeps only rows that are mine, and mine are spared
    if depth:  # a generic link of a record reached through another: its foreign keys only
        follows = tuple(n for n in follows if _foreign_keys(model, n))
    found: list[ColumnElement[bool]] = []
    for name in follows:
        column = getattr(model, name)
        keys = _foreign_keys(model, name)
        if keys:
            parent = kernel.resource_for_table(keys[0].column.table.name)
            cond = _parent_visible(kernel, actor, parent.model, column, depth) if parent is not None else None
        else:
            cond = _link_visible(kernel, actor, model, name, depth)
        if cond is not None:
            found.append(cond)
    if not found:
        return []
    together = and_(*found)
    if getattr(model, SPARES_MINE_ATTR, False) and actor.user_id:
        return [or_(mine(actor, model), together)]
    return [together]


def _foreign_keys(model: type, name: str) -> list[Any]:
    return list(getattr(model, name).property.columns[0].foreign_keys)


def _visible(kernel: Kernel, actor: Actor, parent: type, column: Any, depth: int) -> Any:
    """``EXISTS`` the parent row ``column`` points at, within the actor's scope; None when the
    parent has no scope at all. Correlated on the parent's primary key, so a page of rows costs
    a key lookup each, however large the parent table (``IN (SELECT …)`` would read it whole).
    The parent's own followed columns count too, to a depth of three (deeper is a design smell,
    and SQLite's parser has a nesting limit)."""
    conds = [*kernel.filter_answers(actor, parent, "view"), *conditions(kernel, actor, parent, depth + 1)]
    if not conds:
        return None
    # The parent's own table is never correlated: a query that already joins it (the personnel
    # of a company, joined to their persons) must not turn this into a test on its own rows.
    found = exists().where(parent.id == column, *conds)  # type: ignore[attr-defined]
    return found.correlate_except(parent.__table__)  # type: ignore[attr-defined]


def _parent_visible(kernel: Kernel, actor: Actor, parent: type, column: Any, depth: int) -> Any:
    found = _visible(kernel, actor, parent, column, depth)
    if found is None:
        return None
    # A row without a parent is in scope — but only say so when it can happen: PostgreSQL plans
    # "NULL OR EXISTS" on a NOT NULL column as a hash of the whole parent table (a clinic's list
    # of 100,000 patients' diagnoses: 112 ms, against 6 ms for the bare EXISTS).
    nullable = getattr(getattr(column, "property", None), "columns", [column])[0].nullable
    return or_(column.is_(None), found) if nullable else found


def _link_visible(kernel: Kernel, actor: Actor, model: type, name: str, depth: int) -> Any:
    """``<x>_id`` beside ``<x>_resource`` (a resource's name): the linked record must be visible."""
    kind = getattr(model, name.removesuffix("_id") + "_resource", None)
    if kind is None:
        raise TypeError(f"{model.__name__}.{FOLLOWS_ATTR}: {name!r} is neither a foreign key nor a "
                        f"generic link (no {name.removesuffix('_id')}_resource column)")
    column = getattr(model, name)
    parts = []
    for res in kernel.resources.values():
        if res.model is model or getattr(res.model, SHARED_ATTR, False):
            continue  # shared reference data (provinces, groups) is nothing a record belongs to
        found = _visible(kernel, actor, res.model, column, depth)
        if found is not None:
            parts.append(or_(kind != res.name, found))
    return or_(kind.is_(None), and_(*parts)) if parts else None
