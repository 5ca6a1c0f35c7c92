"""Record versions, so that a save made over a newer version is refused, not silently lost
(issue 9, item 2: two users open a partner, each saves a different field, and the first
change was undone).

A record's version is the id of its newest history row: every change of a business record
writes one (:mod:`kernel.audit`), so the version moves with every save from every path, and
"what changed since" is read straight from the history. Forms carry the version they were
opened with; the API gives it as an ``ETag`` and honours ``If-Match``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel.errors import Conflict
from kernel.models import History, User


@dataclass(frozen=True)
class Change:
    field: str
    new: Any
    user: str
    old: Any = None  # the value at the version the user saved over


class StaleRecord(Conflict):
    """The record changed after the version the user saved over; ``changes`` says how."""

    def __init__(self, version: str, changes: list[Change]) -> None:
        super().__init__("Someone else changed this record after you opened it")
        self.version = version
        self.changes = changes


def current(session: Session, table: str, record_id: int) -> str:
    newest = session.scalar(select(func.max(History.id)).where(History.table_name == table,
                                                               History.record_id == record_id))
    return str(newest or 0)


def check(session: Session, table: str, record_id: int, expected: str | None) -> None:
    """Refuse with :class:`StaleRecord` when the record is past ``expected`` (None: no check)."""
    if expected is None:
        return
    now = current(session, table, record_id)
    if expected.strip() == now:
        return
    since = int(expected) if expected.strip().isdigit() else 0
    rows = session.execute(
        select(History.changes, User.full_name, User.username).outerjoin(User, User.id == History.user_id)
        .where(History.table_name == table, History.record_id == record_id, History.id > since)
        .order_by(History.id)
    ).all()
    latest: dict[str, Change] = {}
    for changes, full, uname in rows:
        for name, pair in json.loads(changes or "{}").items():
            if name in ("updated_at", "updated_by_id", "search_key", "sort_key"):
                continue
            pair = pair if isinstance(pair, list) and len(pair) == 2 else [None, pair]
            first = latest.get(name)
            latest[name] = Change(name, pair[1], full or uname or "", first.old if first else pair[0])
    raise StaleRecord(now, list(latest.values()))
