"""Which slots a doctor offers: their weekly shifts cut into slots of the doctor's length, on
working days (not an official holiday or the weekly day off of ``kernel.occasions``, not one of
the doctor's own days off). Times are local wall-clock in the schedule and naive UTC out."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import InputError
from kernel.occasions import working_days
from kernel.persian.textnorm import to_ascii_digits
from kernel.timezone import to_utc
from modules.medical.models import DayOff, Doctor, Shift, TakenSlot

WEEKDAYS = (("0", "Saturday"), ("1", "Sunday"), ("2", "Monday"), ("3", "Tuesday"), ("4", "Wednesday"),
            ("5", "Thursday"), ("6", "Friday"))


def weekday_of(day: dt.date) -> int:
    """Saturday-first: Saturday 0 … Friday 6."""
    return (day.weekday() + 2) % 7


def parse_hhmm(text: Any) -> int:
    """"08:30" (any digits) → minutes after midnight."""
    raw = to_ascii_digits(str(text or "")).strip().replace("٫", ":").replace(".", ":")
    parts = raw.split(":")
    if len(parts) == 1 and parts[0].isdigit():
        parts.append("0")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise InputError("Type a time as hour:minute, e.g. 08:30")
    hour, minute = int(parts[0]), int(parts[1])
    if not (0 <= hour <= 24 and 0 <= minute < 60) or hour * 60 + minute > 24 * 60:
        raise InputError("Type a time as hour:minute, e.g. 08:30")
    return hour * 60 + minute


def check_hhmm(value: Any) -> None:
    parse_hhmm(value)


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def offered(session: Session, doctors: Iterable[Doctor], first: dt.date, last: dt.date,
            tz: str) -> dict[int, dict[dt.date, list[dt.datetime]]]:
    """Each doctor's slot starts (naive UTC) per local day in [first, last], three queries."""
    docs = {d.id: d for d in doctors}
    out: dict[int, dict[dt.date, list[dt.datetime]]] = {i: {} for i in docs}
    if not docs:
        return out
    days = days_between(first, last)
    open_days = set(working_days(session, days))
    shifts: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for s in session.scalars(select(Shift).where(Shift.doctor_id.in_(docs), Shift.deleted_at.is_(None))):
        try:
            shifts[(s.doctor_id, s.weekday)].append((parse_hhmm(s.starts), parse_hhmm(s.ends)))
        except InputError:
            continue
    off = {(int(d), day) for d, day in session.execute(select(DayOff.doctor_id, DayOff.day).where(
        DayOff.doctor_id.in_(docs), DayOff.day >= first, DayOff.day <= last, DayOff.deleted_at.is_(None)))}
    for doctor_id, doctor in docs.items():
        step = max(5, int(doctor.slot_minutes or 15))
        for day in days:
            if day not in open_days or (doctor_id, day) in off:
                continue
            starts: set[int] = set()
            for begin, end in shifts.get((doctor_id, weekday_of(day)), ()):
                starts.update(range(begin, end - step + 1, step))
            if starts:
                midnight = dt.datetime.combine(day, dt.time())
                out[doctor_id][day] = [to_utc(midnight + dt.timedelta(minutes=m), tz) for m in sorted(starts)]
    return out


def is_offered(session: Session, doctor: Doctor, start_at: dt.datetime, day: dt.date, tz: str) -> bool:
    return start_at in offered(session, [doctor], day, day, tz)[doctor.id].get(day, [])


def taken(session: Session, doctor_ids: Iterable[int], low: dt.datetime, high: dt.datetime) -> set[tuple[int, dt.datetime]]:
    """The (doctor, slot start) pairs held by live appointments in [low, high): the unique key's index."""
    ids = list(doctor_ids)
    if not ids:
        return set()
    rows = session.execute(select(TakenSlot.doctor_id, TakenSlot.slot_at).where(
        TakenSlot.doctor_id.in_(ids), TakenSlot.slot_at >= low, TakenSlot.slot_at < high))
    return {(int(d), s) for d, s in rows}


def next_free(session: Session, doctors: list[Doctor], after: dt.datetime, tz: str, today: dt.date,
              weeks: int = 8) -> tuple[Doctor, dt.datetime] | None:
    """The earliest free slot after ``after`` (naive UTC) among ``doctors``, looking a week at a
    time up to ``weeks`` weeks ahead; None when there is none."""
    by_id = {d.id: d for d in doctors}
    first = today
    for _ in range(weeks):
        last = first + dt.timedelta(days=6)
        grid = offered(session, doctors, first, last, tz)
        candidates = sorted((s, d) for d, per_day in grid.items() for starts in per_day.values() for s in starts
                            if s > after)
        if candidates:
            busy = taken(session, by_id, candidates[0][0], candidates[-1][0] + dt.timedelta(seconds=1))
            for start, doctor_id in candidates:
                if (doctor_id, start) not in busy:
                    return by_id[doctor_id], start
        first = last + dt.timedelta(days=1)
    return None
