"""Seats (KER-03): the edition's seats plus seats bought on top, and what happens to active
users when the limit falls (a smaller edition, fewer extra seats).

The extra seats live in the database (setting ``kernel.extra_seats``), not in one server's
configuration file: every worker sees the same limit and a backup carries it. Lowering the limit
below the active users is refused with their names unless the administrator says whom to
deactivate — by name, or "the newest" — and never leaves the instance without an active
administrator.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel.errors import InputError
from kernel.models import User

if TYPE_CHECKING:
    from kernel.editions import Edition
    from kernel.kernel import Kernel

EXTRA_SEATS = "kernel.extra_seats"
MAX_EXTRA_SEATS = 10_000


def extra_seats(session: Session) -> int:
    from kernel.models import Setting

    row = session.get(Setting, EXTRA_SEATS)
    try:
        return max(0, int(row.value)) if row else 0
    except ValueError:
        return 0


def seat_limit(kernel: Kernel, session: Session, edition: Edition | None = None, extra: int | None = None) -> int:
    """Seats of ``edition`` (default: the running one) plus the extra seats (default: stored)."""
    return (edition or kernel.edition).seats + (extra_seats(session) if extra is None else extra)


def parse_extra_seats(text: object) -> int:
    from kernel.persian.textnorm import to_ascii_digits

    value = to_ascii_digits(str(text or "")).strip()
    if not value.isdigit() or int(value) > MAX_EXTRA_SEATS:
        raise InputError("Extra seats must be a whole number from 0 to {max}", max=MAX_EXTRA_SEATS)
    return int(value)


def active(session: Session) -> list[User]:
    """Active users, oldest first."""
    return list(session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.created_at, User.id)))


def _name(user: User) -> str:
    return user.full_name or user.username


def to_deactivate(session: Session, limit: int, *, chosen: Sequence[str | int] = (), newest: bool = False,
                  keep_user_id: int | None = None) -> list[User]:
    """The users to deactivate so that at most ``limit`` stay active; raises InputError (and
    changes nothing) when the administrator has not chosen enough of them, or chose wrongly.

    ``chosen`` names users by username or id; ``newest`` picks the most recently created users
    who are not administrators (nor ``keep_user_id``, the administrator doing it)."""
    users = active(session)
    excess = len(users) - limit
    if excess <= 0:
        return []
    if chosen:
        picked: list[User] = []
        for ref in chosen:
            key = str(ref).strip().lower()
            match = [u for u in users if u.username == key or str(u.id) == key]
            if not match:
                raise InputError("There is no active user {name}", name=str(ref))
            if match[0] not in picked:
                picked.append(match[0])
    elif newest:
        picked = [u for u in reversed(users) if not u.is_admin and u.id != keep_user_id][:excess]
    else:
        raise InputError("The new limit is {seats} active users but {count} are active ({names}); "
                         "choose whom to deactivate", seats=limit, count=len(users),
                         names="، ".join(_name(u) for u in users))
    if len(picked) < excess:
        raise InputError("Deactivate {n} more users to fit {seats} seats", n=excess - len(picked), seats=limit)
    if keep_user_id is not None and any(u.id == keep_user_id for u in picked):
        raise InputError("You cannot deactivate yourself")
    if not any(u.is_admin for u in users if u not in picked) and any(u.is_admin for u in users):
        raise InputError("At least one administrator must stay active")
    return picked


def fit_to(session: Session, limit: int, *, chosen: Sequence[str | int] = (), newest: bool = False,
           keep_user_id: int | None = None) -> list[str]:
    """Deactivate whom :func:`to_deactivate` picks; returns their usernames."""
    picked = to_deactivate(session, limit, chosen=chosen, newest=newest, keep_user_id=keep_user_id)
    for user in picked:
        user.is_active = False
    return [u.username for u in picked]
