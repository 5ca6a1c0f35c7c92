"""The board's column totals from the kept rows (:mod:`modules.sales.models.board_total`), when
the actor's view of deals is nothing but "these owners' deals" (or every deal); otherwise the
board counts the deals themselves (:func:`modules.sales.services.board.column_totals`).

Whether the scope is only owners is read from the conditions the kernel would apply, not
assumed: the kernel's own/team condition must be exactly "owner in the team" (or "owner is me"),
sales' place condition must be the actor's and vacuous (a role not limited to places), and no
other module may have added a condition. Anything else — a province-limited role, another
module's filter, a kernel that scopes differently — reads the deals, so a total never counts a
deal the user may not see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from kernel import memo
from kernel.actor import Actor
from modules.base.scope import unrestricted
from modules.sales.models import BoardTotal, Opportunity
from modules.sales.scope import record_filter as place_filter

ALL = ()  # every owner
FOLD_JOB = "sales.board_totals_fold"


def _sql(cond: Any) -> str:
    return str(cond.compile(compile_kwargs={"literal_binds": True}))


def owners_seen(kernel: Any, session: Session, actor: Actor) -> tuple[int, ...] | None:
    """The owners whose deals are exactly the ones ``actor`` sees (``ALL``: every deal), or None
    when the scope says more than owners."""
    found = memo.cached(("sales.board.owners", actor), lambda: _owners_only(kernel, actor))
    if found is None:
        return None
    owners, places = found
    if places and not session.scalar(select(unrestricted(actor))):  # a role limited to places
        return None
    return owners


def _owners_only(kernel: Any, actor: Actor) -> tuple[tuple[int, ...], bool] | None:
    """From the conditions alone (kept per actor: comparing them compiles SQL, ~9 ms): the owners,
    and whether sales' place condition is there to be checked; None when the conditions are other."""
    if actor.is_admin or actor.record_scope == "all":
        owners: tuple[int, ...] = ALL
        expected: list[Any] = []
    elif actor.record_scope == "team" and actor.team_user_ids:
        owners = tuple(sorted(set(actor.team_user_ids)))
        expected = [Opportunity.owner_id.in_(actor.team_user_ids)]
    elif actor.record_scope == "own":
        owners = (actor.user_id,)
        expected = [Opportunity.owner_id == actor.user_id]
    else:
        return None
    places = place_filter(actor, Opportunity, "view")
    if places is not None:
        expected.append(places)
    found = sorted(_sql(c) for c in kernel.record_conditions(actor, Opportunity, "view"))
    if found != sorted(_sql(c) for c in expected):
        return None
    return owners, places is not None


def kept(session: Session, pipeline_id: int, stage_ids: list[int], owners: tuple[int, ...],
         closed: bool) -> dict[int, tuple[int, int]]:
    """Each stage's (count, total) from the kept rows of these owners (``ALL``: everyone's)."""
    if not stage_ids:
        return {}
    stmt = (select(BoardTotal.stage_id, func.sum(BoardTotal.n), func.sum(BoardTotal.total))
            .where(BoardTotal.pipeline_id == pipeline_id, BoardTotal.stage_id.in_(stage_ids))
            .group_by(BoardTotal.stage_id))
    if not closed:
        stmt = stmt.where(BoardTotal.outcome == "open")
    if owners:
        stmt = stmt.where(BoardTotal.owner_id.in_(owners))
    return {int(sid): (int(n or 0), int(t or 0)) for sid, n, t in session.execute(stmt)}


def fold(session: Session, kernel: Any = None, now: dt.datetime | None = None) -> int:
    """Fold each key's rows into one (the job, every few minutes); the number of rows removed.

    Rows up to the current last id are summed, deleted and written back as one row per key, in
    one transaction; a row a trigger appends meanwhile has a larger id and stays. Deleted rows are
    read back from the DELETE itself, so two folds at once cannot both write a key's sum."""
    last = session.scalar(select(func.max(BoardTotal.id)))
    if last is None:
        return 0
    keys = (BoardTotal.pipeline_id, BoardTotal.stage_id, BoardTotal.owner_id, BoardTotal.outcome)
    many = select(*keys).where(BoardTotal.id <= last).group_by(*keys).having(func.count() > 1)
    removed = 0
    for key in session.execute(many).all():
        match = [c == v for c, v in zip(keys, key, strict=True)]
        gone = session.execute(delete(BoardTotal).where(BoardTotal.id <= last, *match)
                               .returning(BoardTotal.n, BoardTotal.total)).all()
        if not gone:
            continue
        removed += len(gone) - 1
        values = dict(zip(("pipeline_id", "stage_id", "owner_id", "outcome"), key, strict=True))
        session.execute(insert(BoardTotal).values(**values, n=sum(n for n, _ in gone), total=sum(t for _, t in gone)))
    return removed
