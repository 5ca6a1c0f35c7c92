"""What the sales reports share: the Jalali period, percentages in the reader's digits, and
which team each salesperson belongs to (their main team)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from kernel.models import Team, User
from kernel.persian.numbers import format_number
from modules.base.reports import day_range

AGENT, TEAM = "agent", "team"


def period(params: dict[str, str], tz: str) -> tuple[dt.datetime, dt.datetime]:
    """From/to Jalali days (inclusive) as a UTC half-open range; default: this Jalali month so far
    (base's reports read their periods the same way)."""
    low, high, _first, _last = day_range(params, tz)
    return low, high


def days(params: dict[str, str], tz: str) -> tuple[dt.date, dt.date]:
    """The same period as its first and last day."""
    _low, _high, first, last = day_range(params, tz)
    return first, last


def percent(part: int, whole: int, lang: str) -> str:
    """A whole percent in the reader's digits; "—" when there is nothing to divide by."""
    if whole <= 0:
        return "—"
    return format_number(round(100 * part / whole), lang) + ("٪" if lang == "fa" else "%")


def teams_of(session: Any, user_ids: set[int]) -> dict[int, tuple[int | None, str]]:
    """Each user's main team (id, name); ("", None) for a user in none."""
    if not user_ids:
        return {}
    rows = session.execute(select(User.id, Team.id, Team.name).outerjoin(Team, Team.id == User.team_id)
                           .where(User.id.in_(user_ids)))
    return {int(uid): (tid, name or "") for uid, tid, name in rows}


def group_choices(**_: Any) -> list[tuple[str, str]]:
    return [(AGENT, "Per salesperson"), (TEAM, "Per team")]


def pipeline_choices(session: Any, **_: Any) -> list[tuple[str, str]]:
    from modules.sales.models import Pipeline

    rows = session.execute(select(Pipeline.id, Pipeline.name).where(Pipeline.deleted_at.is_(None))
                           .order_by(Pipeline.sequence, Pipeline.id))
    return [(str(i), name) for i, name in rows]
