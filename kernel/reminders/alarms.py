"""A user's alarms: the unseen ones (tray, dashboard, menu badge) and dismissing them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kernel.db import utcnow
from kernel.records import capped_count_query
from kernel.reminders.models import Alarm


def unseen(session: Session, user_id: int, limit: int = 20) -> list[Alarm]:
    stmt = (select(Alarm).where(Alarm.user_id == user_id, Alarm.seen_at.is_(None))
            .order_by(Alarm.id.desc()).limit(limit))
    return list(session.scalars(stmt))


def unseen_count(session: Session, user_id: int, cap: int = 1000) -> int:
    stmt = select(Alarm.id).where(Alarm.user_id == user_id, Alarm.seen_at.is_(None))
    return int(session.scalar(capped_count_query(stmt, cap)) or 0)


def dismiss(session: Session, user_id: int, alarm_id: int | None, now: dt.datetime | None = None) -> int:
    """Mark one alarm (or, with no id, all) of the user as seen; another user's are untouched."""
    stmt = update(Alarm).where(Alarm.user_id == user_id, Alarm.seen_at.is_(None))
    if alarm_id is not None:
        stmt = stmt.where(Alarm.id == alarm_id)
    result = session.execute(stmt.values(seen_at=now or utcnow()).execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
