"""Date sources (:class:`kernel.DateSource`) read the same way everywhere: the kernel's "Due
today" block, the daily reminder report and the tasks module's work queue (TSK-05, TSK-06).

Every query goes through ``kernel.scoped_select``, so the resource's record scope applies, and
only sources whose resource the actor may view are offered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date

from kernel.timezone import day_bounds


def sources_for(kernel: Any, actor: Any) -> list[Any]:
    """The date sources the actor may see (the resource's view permission)."""
    return [s for s in kernel.date_sources if actor.can(kernel.resources[s.resource].perm("view"))]


def date_column(kernel: Any, source: Any) -> tuple[Any, Any, bool]:
    """The source's model, its date column, and whether that column is a plain date."""
    model: Any = kernel.resources[source.resource].model
    col = getattr(model, source.date_field)
    return model, col, isinstance(col.type, Date)


def on_day(kernel: Any, actor: Any, source: Any, day: dt.date) -> Any:
    """Records whose date falls on ``day`` (a local day: a date-time is cut at local midnight)."""
    model, col, is_date = date_column(kernel, source)
    stmt = kernel.scoped_select(actor, model)
    if is_date:
        return stmt.where(col == day)
    start, end = day_bounds(day, kernel.config.timezone)
    return stmt.where(col >= start, col < end)


def due_for_user(kernel: Any, actor: Any, source: Any, user_id: int, today: dt.date) -> Any:
    """The user's records of a source due today or earlier and still open (``source.open``)."""
    model, col, is_date = date_column(kernel, source)
    _, end = day_bounds(today, kernel.config.timezone)
    stmt = kernel.scoped_select(actor, model).where(getattr(model, source.user_field) == user_id,
                                                    col <= today if is_date else col < end)
    if source.open is not None:
        stmt = stmt.where(source.open(model))
    return stmt


def queue_sources(kernel: Any, actor: Any) -> list[Any]:
    """Sources listed per user as due (work queue, "Due today" block): with a user column, and
    not opted out with ``in_work_queue=False`` (a module that lists them on its own)."""
    return [s for s in sources_for(kernel, actor) if s.in_work_queue and s.user_field]
