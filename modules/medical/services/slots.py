"""Which slots a doctor offers: their weekly shifts cut into slots of the doctor's length, on
working days (not an official holiday or the weekly day off of ``kernel.occasions``, not one of
the doctor's own days off). Times are local wall-clock in the schedule and naive UTC out."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
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


@lru_cache(maxsize=4096)
def _hhmm(raw: str) -> int:
    parts = to_ascii_digits(raw).strip().replace("٫", ":").replace(".", ":").split(":")
    if len(parts) == 1 and parts[0].isdigit():
        parts.append("0")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise InputError("Type a time as hour:minute, e.g. 08:30")
    hour, minute = int(parts[0]), int(parts[1])
    if not (0 <= hour <= 24 and 0 <= minute < 60) or hour * 60 + minute > 24 * 60:
        raise InputError("Type a time as hour:minute, e.g. 08:30")
    return hour * 60 + minute


def parse_hhmm(text: Any) -> int:
    """"08:30" (any digits) → minutes after midnight."""
    return _hhmm(str(text or ""))


def check_hhmm(value: Any) -> None:
    parse_hhmm(value)


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


@dataclass
class Schedule:
    """The doctors' weekly shifts, own days off and the working days of a span, read once; the
    slots of one doctor on one day are then computed without the database."""

    tz: str
    steps: dict[int, int]
    open_days: set[dt.date]
    off: set[tuple[int, dt.date]]
    shifts: dict[tuple[int, int], list[tuple[int, int]]]
    _minutes: dict[tuple[int, int], tuple[int, ...]] = field(default_factory=dict)
    _midnights: dict[dt.date, tuple[dt.datetime, bool]] = field(default_factory=dict)

    def minutes(self, doctor_id: int, day: dt.date) -> tuple[int, ...]:
        """The doctor's slot starts of a local day as minutes after local midnight, in order."""
        if day not in self.open_days or (doctor_id, day) in self.off:
            return ()
        key = (doctor_id, weekday_of(day))
        if key not in self._minutes:
            step = self.steps[doctor_id]
            found: set[int] = set()
            for begin, end in self.shifts.get(key, ()):
                found.update(range(begin, end - step + 1, step))
            self._minutes[key] = tuple(sorted(found))
        return self._minutes[key]

    def midnight(self, day: dt.date) -> tuple[dt.datetime, bool]:
        """The local day's start in UTC, and whether the day has no clock change (24 hours)."""
        if day not in self._midnights:
            local = dt.datetime.combine(day, dt.time())
            start = to_utc(local, self.tz)
            self._midnights[day] = (start, to_utc(local + dt.timedelta(days=1), self.tz) - start == dt.timedelta(days=1))
        return self._midnights[day]

    def at(self, day: dt.date, minute: int) -> dt.datetime:
        start, plain = self.midnight(day)
        if plain:
            return start + dt.timedelta(minutes=minute)
        return to_utc(dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minute), self.tz)

    def starts(self, doctor_id: int, day: dt.date) -> list[dt.datetime]:
        """The doctor's slot starts of a local day, naive UTC, in order."""
        return [self.at(day, m) for m in self.minutes(doctor_id, day)]


def schedule(session: Session, doctors: Iterable[Doctor], first: dt.date, last: dt.date, tz: str) -> Schedule:
    """Three queries for any number of doctors and days."""
    steps = {d.id: max(5, int(d.slot_minutes or 15)) for d in doctors}
    if not steps:
        return Schedule(tz, steps, set(), set(), {})
    open_days = set(working_days(session, days_between(first, last)))
    shifts: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    rows = session.execute(select(Shift.doctor_id, Shift.weekday, Shift.starts, Shift.ends).where(
        Shift.doctor_id.in_(steps), Shift.deleted_at.is_(None)))
    for doctor_id, weekday, starts, ends in rows:
        try:
            shifts[(int(doctor_id), int(weekday))].append((parse_hhmm(starts), parse_hhmm(ends)))
        except InputError:
            continue
    off = {(int(d), day) for d, day in session.execute(select(DayOff.doctor_id, DayOff.day).where(
        DayOff.doctor_id.in_(steps), DayOff.day >= first, DayOff.day <= last, DayOff.deleted_at.is_(None)))}
    return Schedule(tz, steps, open_days, off, shifts)


def offered(session: Session, doctors: Iterable[Doctor], first: dt.date, last: dt.date,
            tz: str) -> dict[int, dict[dt.date, list[dt.datetime]]]:
    """Each doctor's slot starts (naive UTC) per local day in [first, last]."""
    docs = list(doctors)
    sched = schedule(session, docs, first, last, tz)
    out: dict[int, dict[dt.date, list[dt.datetime]]] = {d.id: {} for d in docs}
    for d in docs:
        for day in days_between(first, last):
            if starts := sched.starts(d.id, day):
                out[d.id][day] = starts
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


def _all_taken(session: Session, sched: Schedule, ids: list[int], first: dt.date, last: dt.date) -> bool:
    """Whether every slot of every doctor in the local days [first, last] is taken: one count per
    doctor over the span (the unique key's index), against the slots the schedule offers."""
    slots_of = {i: sum(len(sched.minutes(i, d)) for d in days_between(first, last)) for i in ids}
    if not any(slots_of.values()):
        return True
    start = sched.midnight(first)[0]
    end = to_utc(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()), sched.tz)
    counts = dict(session.execute(select(TakenSlot.doctor_id, func.count()).where(
        TakenSlot.doctor_id.in_([i for i, n in slots_of.items() if n]), TakenSlot.slot_at >= start,
        TakenSlot.slot_at < end).group_by(TakenSlot.doctor_id)).all())
    return all(counts.get(i, 0) >= n for i, n in slots_of.items())


def next_free(session: Session, doctors: list[Doctor], after: dt.datetime, tz: str, today: dt.date,
              weeks: int = 8) -> tuple[Doctor, dt.datetime] | None:
    """The earliest free slot after ``after`` (naive UTC) among ``doctors``, up to ``weeks``
    weeks ahead; None when there is none.

    Today is looked at on its own (part of it is gone). From tomorrow on, spans of days whose every
    slot is taken are skipped by counting (1, 2, 4, … days at a time, then halving the first span
    with room), each a single grouped count of the unique key's index; on the first day with room,
    one count per doctor finds who has room and their taken slots are read an hour at a time."""
    by_id = {d.id: d for d in doctors}
    ids = list(by_id)
    horizon = today + dt.timedelta(days=7 * weeks - 1)
    sched = schedule(session, doctors, today, horizon, tz)
    found = _first_free_on(session, sched, by_id, today, after)
    day = today + dt.timedelta(days=1)
    while found is None and day <= horizon:
        span = 1
        while day <= horizon:  # gallop over full spans
            last = min(day + dt.timedelta(days=span - 1), horizon)
            if not _all_taken(session, sched, ids, day, last):
                break
            day, span = last + dt.timedelta(days=1), span * 2
        else:
            return None
        while last > day:  # the first day with room lies in [day, last]: halve
            mid = day + (last - day) // 2
            if _all_taken(session, sched, ids, day, mid):
                day = mid + dt.timedelta(days=1)
            else:
                last = mid
        found = _first_free_on(session, sched, by_id, day, after)
        day += dt.timedelta(days=1)
    return found


def _first_free_on(session: Session, sched: Schedule, by_id: dict[int, Doctor], day: dt.date,
                   after: dt.datetime) -> tuple[Doctor, dt.datetime] | None:
    start, _plain = sched.midnight(day)
    past = (after - start) / dt.timedelta(minutes=1)  # minutes of the day already gone
    room: dict[int, tuple[int, ...]] = {}
    whole: dict[int, int] = {}
    for i in by_id:
        mins = sched.minutes(i, day)
        ahead = mins[bisect_right(mins, past):] if mins and mins[-1] > past else ()
        if ahead:
            room[i], whole[i] = ahead, len(mins)
    if not room:
        return None
    # One count per doctor of the day's taken slots, from the unique key's index: a doctor whose
    # whole day is taken has no room (a day partly gone is checked slot by slot below).
    counts = dict(session.execute(select(TakenSlot.doctor_id, func.count()).where(
        TakenSlot.doctor_id.in_(room), TakenSlot.slot_at >= start, TakenSlot.slot_at < start + dt.timedelta(days=1))
        .group_by(TakenSlot.doctor_id)).all())
    roomy = [i for i in room if counts.get(i, 0) < whole[i]]
    if not roomy:
        return None
    # An hour at a time from the day's first open slot: the first hour with room is usually the
    # first one, and only its taken slots are read.
    first = min(room[i][0] for i in roomy)
    final = max(room[i][-1] for i in roomy)
    for w in range(first, final + 1, 60):
        window = [(m, i) for i in roomy for m in room[i] if w <= m < w + 60]
        if not window:
            continue
        busy = taken(session, roomy, sched.at(day, w), sched.at(day, w + 60))
        found = min(((sched.at(day, m), i) for m, i in window if (i, sched.at(day, m)) not in busy), default=None)
        if found is not None:
            return by_id[found[1]], found[0]
    return None
