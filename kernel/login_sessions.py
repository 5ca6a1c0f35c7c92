"""Server-side login sessions (issue 9, item 5): a browser's cookie names a row here, so
logging out, changing one's password or an administrator's word ends it on the server.

The cookie keeps its random key; the table keeps only the key's SHA-256, so a copy of the
database does not sign anyone in.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kernel.db import utcnow
from kernel.models import LoginSession


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(session: Session, user_id: int, ip: str = "", user_agent: str = "") -> str:
    """A new session for ``user_id``; returns the key for the cookie (shown nowhere else)."""
    key = secrets.token_urlsafe(32)
    session.add(LoginSession(key_hash=_digest(key), user_id=user_id, ip=ip[:64], user_agent=user_agent[:200]))
    return key


def is_live(session: Session, key: str | None, user_id: int) -> bool:
    if not key:
        return False
    row = session.scalars(select(LoginSession.user_id).where(
        LoginSession.key_hash == _digest(key), LoginSession.ended_at.is_(None))).first()
    return row == user_id


def end(session: Session, key: str | None) -> None:
    if key:
        session.execute(update(LoginSession).where(LoginSession.key_hash == _digest(key),
                                                   LoginSession.ended_at.is_(None)).values(ended_at=utcnow()))


def end_all(session: Session, user_id: int, keep: str | None = None) -> int:
    """End every live session of a user (but ``keep``'s); returns how many were ended."""
    stmt = update(LoginSession).where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
    if keep:
        stmt = stmt.where(LoginSession.key_hash != _digest(keep))
    return int(session.execute(stmt.values(ended_at=utcnow())).rowcount or 0)  # type: ignore[attr-defined]
