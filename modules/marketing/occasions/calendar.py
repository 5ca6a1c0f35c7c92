"""The yearly occasions calendar (MKT-06): a Jalali year's twelve months, each day with its
occasions (from the kernel's table, religion marked), the birthdays and wedding anniversaries
of the partners the user sees (one grouped query each on base's indexed ``birthday_md`` /
``marriage_md``, not a loop over partners) and the occasion rules that fire for it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import Session

from kernel import Actor
from kernel.occasions import Occasion, occasions_between
from kernel.persian.jalali import days_in_month, jalali_to_date, month_name
from modules.base.models import Partner
from modules.marketing.models import OccasionRule
from modules.marketing.models.occasion_rule import BIRTHDAY, MARRIAGE, NOWRUZ
from modules.marketing.occasions.matching import month_days


@dataclass
class Day:
    date: dt.date
    day: int
    occasions: list[Occasion] = field(default_factory=list)
    birthdays: int = 0
    anniversaries: int = 0
    rules: list[OccasionRule] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.occasions or self.birthdays or self.anniversaries or self.rules)


@dataclass
class Month:
    number: int
    name: str
    days: list[Day]


def month_day_counts(kernel: Any, session: Session, actor: Actor, column: Any) -> dict[int, int]:
    """Persons the actor sees per Jalali month×100+day of ``column``: one GROUP BY on its index."""
    stmt = (kernel.scoped_select(actor, Partner).with_only_columns(column, func.count())
            .where(Partner.kind == "person", column.is_not(None)).group_by(column))
    return {md: n for md, n in session.execute(stmt)}


def year(kernel: Any, session: Session, actor: Actor, jyear: int, lang: str = "fa") -> list[Month]:
    start = jalali_to_date(jyear, 1, 1)
    end = jalali_to_date(jyear + 1, 1, 1)
    by_date: dict[dt.date, list[Occasion]] = {}
    for o in occasions_between(session, start, end):
        by_date.setdefault(o.date, []).append(o)
    births = month_day_counts(kernel, session, actor, Partner.birthday_md)
    weddings = month_day_counts(kernel, session, actor, Partner.marriage_md)
    rules = list(session.scalars(kernel.scoped_select(actor, OccasionRule).where(
        OccasionRule.active.is_(True)).order_by(OccasionRule.name)))
    months = []
    for m in range(1, 13):
        days = []
        for d in range(1, days_in_month(jyear, m) + 1):
            date = jalali_to_date(jyear, m, d)
            mds = month_days(date)
            day = Day(date, d, by_date.get(date, []), sum(births.get(x, 0) for x in mds),
                      sum(weddings.get(x, 0) for x in mds))
            keys = {o.key for o in day.occasions}
            day.rules = [r for r in rules if r.occasion in keys or (r.occasion == NOWRUZ and (m, d) == (1, 1))
                         or (r.occasion == BIRTHDAY and day.birthdays) or (r.occasion == MARRIAGE and day.anniversaries)]
            days.append(day)
        months.append(Month(m, month_name(m, lang), days))
    return months


# How the calendar marks whom an occasion concerns (base's msgids for the religions it records).
RELIGION_LABELS = {("islam", "shia"): "Shia Muslim", ("islam", "sunni"): "Sunni Muslim",
                   ("islam", ""): "Muslims of every sect", ("christian", "armenian"): "Armenian Christians",
                   ("christian", ""): "Christian", ("jewish", ""): "Jewish", ("zoroastrian", ""): "Zoroastrian"}


def religion_label(occasion: Occasion) -> str:
    """The msgid naming whom a religious occasion concerns; "" for everyone's occasions."""
    if not occasion.religion:
        return ""
    return RELIGION_LABELS.get((occasion.religion, occasion.sect), RELIGION_LABELS.get((occasion.religion, ""), ""))
