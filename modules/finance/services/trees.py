"""Group trees (partner groups, product groups): a group and the groups above it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session


def ancestors(session: Session, model: Any, start: int | None) -> list[int]:
    """``start`` and every group above it, nearest first (a loop, if one slipped in, ends it)."""
    out: list[int] = []
    current = start
    while current is not None and current not in out:
        out.append(current)
        current = session.scalar(select(model.parent_id).where(model.id == current))
    return out
