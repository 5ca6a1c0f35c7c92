"""Teams under teams: a sales manager over regional teams over agents.

The "team" record scope of a user covers the user's teams and every team under them; an agent
of a sub-team sees neither the team above nor a sibling. Teams are few (tens), so the whole
(id, parent_id) table is read at once and walked in Python: one statement, no recursive SQL, and
the same on every engine. The actor that carries the result is kept between requests
(kernel.memo) until a user, membership or team is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kernel.errors import InputError
from kernel.models import Team, User, UserTeam


def _children(session: Session) -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = {}
    for tid, parent in session.execute(select(Team.id, Team.parent_id)):
        children.setdefault(parent, []).append(int(tid))
    return children


def with_descendants(session: Session, team_ids: Iterable[int]) -> tuple[int, ...]:
    """``team_ids`` and every team under any of them, sorted."""
    start = set(team_ids)
    if not start:
        return ()
    children = _children(session)
    found, todo = set(start), list(start)
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:  # a cycle written behind the admin page's back ends here
                found.add(child)
                todo.append(child)
    return tuple(sorted(found))


def members(session: Session, team_ids: Iterable[int]) -> tuple[int, ...]:
    """The users in any of ``team_ids``, by main team or by membership, sorted."""
    teams = tuple(team_ids)
    if not teams:
        return ()
    rows = session.scalars(select(User.id).where(or_(
        User.team_id.in_(teams), User.id.in_(select(UserTeam.user_id).where(UserTeam.team_id.in_(teams))))))
    return tuple(sorted({int(u) for u in rows}))


def set_parent(session: Session, team: Team, parent_id: int | None) -> None:
    """Put ``team`` under ``parent_id`` (None: at the top); refuses a team under itself or under
    one of its own descendants, which would make a cycle."""
    if parent_id is not None:
        if session.get(Team, parent_id) is None:
            raise InputError("There is no such team")
        if parent_id in with_descendants(session, (team.id,)):
            raise InputError("A team cannot be under itself or a team under it")
    team.parent_id = parent_id


@dataclass(frozen=True)
class Branch:
    team: Team
    depth: int


def tree(session: Session) -> list[Branch]:
    """Every team in tree order (parents before their children, siblings by name) with its depth."""
    teams = list(session.scalars(select(Team).order_by(Team.name)))
    ids = {t.id for t in teams}
    under: dict[int | None, list[Team]] = {}
    for t in teams:
        # A parent that no longer exists counts as none (the foreign key sets it NULL anyway).
        under.setdefault(t.parent_id if t.parent_id in ids else None, []).append(t)
    out: list[Branch] = []
    seen: set[int] = set()

    def walk(parent: int | None, depth: int) -> None:
        for t in under.get(parent, []):
            if t.id not in seen:
                seen.add(t.id)
                out.append(Branch(t, depth))
                walk(t.id, depth + 1)

    walk(None, 0)
    out.extend(Branch(t, 0) for t in teams if t.id not in seen)  # only a cycle leaves any out
    return out
