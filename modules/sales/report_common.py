"""What the sales reports share: the Jalali period, percentages in the reader's digits, and
which team each salesperson belongs to (their main team)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from kernel import InputError
from kernel.models import Team, User
from kernel.persian.numbers import format_number

AGENT, TEAM = "agent", "team"


def period(params: dict[str, str], tz: str) -> tuple[dt.datetime, dt.datetime]:
    """From/to Jalali days (inclusive) as a UTC half-open range; default: this Jalali month."""
    first, last = days(params, tz)
    from kernel.timezone import to_utc

    return (to_utc(dt.datetime.combine(first, dt.time()), tz),
            to_utc(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()), tz))


def days(params: dict[str, str], tz: str) -> tuple[dt.date, dt.date]:
    """From/to Jalali days (inclusive) as dates; default: this Jalali month up to today."""
    from kernel.persian.jalali import jalali_month_range, parse_jalali_date, to_jalali
    from kernel.timezone import local_today

    today = local_today(tz)
    jtoday = to_jalali(today)
    first = parse_jalali_date(params["from"]) if params.get("from") else jalali_month_range(jtoday.year, jtoday.month)[0]
    last = parse_jalali_date(params["to"]) if params.get("to") else today
    if last < first:
        raise InputError("The end is before the start")
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
