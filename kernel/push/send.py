"""The one door to push: a row in the caller's transaction, delivered only if it commits."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from kernel.push.models import PushMessage

MAX_DATA = 8000  # characters of JSON: a push names records, the page fetches their details


def push_to_user(session: Session, user_id: int, kind: str, data: dict[str, Any]) -> None:
    """Send ``{kind, data}`` to every open tab of ``user_id`` (none open: the message is dropped
    after a day unread). ``data`` must be JSON; keep it small — ids, not pages."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    if len(text) > MAX_DATA:
        raise ValueError(f"push {kind!r}: data is {len(text)} characters, at most {MAX_DATA}")
    if not kind or len(kind) > 60:
        raise ValueError(f"push kind {kind!r} must be 1-60 characters")
    session.add(PushMessage(user_id=user_id, kind=kind, data=text))
