"""Who is acting: the user behind a request, a token, a job or the command line."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    """An authenticated user with everything permission checks need, loaded once per request."""

    user_id: int
    username: str
    full_name: str = ""
    is_admin: bool = False
    permissions: frozenset[str] = field(default_factory=frozenset)
    # The widest scope among the user's roles wins: all > team > own.
    record_scope: str = "all"
    team_id: int | None = None
    # Every team the user belongs to and every team under those (kernel.teams), filled for the
    # "team" scope only (the one that reads it).
    team_ids: tuple[int, ...] = ()
    # The users of those teams, as a literal list: "owner IN (…)" lets an index ordered by
    # something else stop after a page of rows, where a sub-select made it read all of them.
    team_user_ids: tuple[int, ...] = ()
    role_ids: tuple[int, ...] = ()
    lang: str = "fa"
    money_unit: str = "rial"

    def can(self, permission: str) -> bool:
        return self.is_admin or permission in self.permissions

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


SYSTEM = Actor(user_id=0, username="system", is_admin=True)
"""Jobs and the command line act as the system; history records no user for it."""
