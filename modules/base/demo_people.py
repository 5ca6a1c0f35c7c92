"""Demo data of a person's circle (BASE-16, BASE-17): relations, remembered preferences and
planned calls, so the profile's panels and the work queue have something true to show."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kernel.db import utcnow
from kernel.timezone import local_today, to_utc
from modules.base.models import Partner, PlannedCommunication, Preference, Relation

PREFERENCES = (("like", "چای سبز بدون قند"), ("dislike", "تماس پیش از ساعت ۱۰ صبح"), ("allergy", "حساسیت به گردو"),
               ("companion", "معمولاً با همسرش می‌آید"))


def load_circle(session: Any, persons: list[Partner], owner_id: int | None, tz: str) -> int:
    """Relations between the first persons, their preferences and two planned calls; returns rows added."""
    if len(persons) < 4:
        return 0
    a, b, c, d = persons[:4]
    rows: list[Any] = [
        Relation(partner_id=a.id, kind="spouse", other_id=b.id, owner_id=owner_id),
        Relation(partner_id=c.id, kind="parent", other_id=a.id, owner_id=owner_id),  # a is c's parent
        Relation(partner_id=d.id, kind="referred_by", other_id=a.id, notes="در نمایشگاه آشنا شدند", owner_id=owner_id),
    ]
    for i, (kind, text) in enumerate(PREFERENCES):
        rows.append(Preference(partner_id=(a if i < 3 else b).id, kind=kind, text=text, owner_id=owner_id))
    today = local_today(tz, utcnow())
    for days, hour, who, kind, subject in ((1, 10, a, "call", "پیگیری سفارش فصل بعد"),
                                           (-1, 11, b, "visit", "بازدید از فروشگاه")):
        when = to_utc(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour)), tz)
        rows.append(PlannedCommunication(partner_id=who.id, kind=kind, subject=subject, planned_at=when,
                                         user_id=owner_id, owner_id=owner_id))
    for row in rows:
        session.add(row)
    session.flush()
    return len(rows)
