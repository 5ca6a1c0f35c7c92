"""Which occasion a rule has on a day, and who gets it.

Religion matching: an occasion of the kernel's table names a religion ("islam", "christian",
"jewish", "zoroastrian", or "" for everyone) and a sect ("shia", "sunni", "armenian" or "").
Base's partner ``religion`` already holds the Islamic sect (shia, sunni), so:

- an occasion with no religion (Nowruz, Yalda, a birthday) reaches every person;
- an Islamic occasion of all sects (Eid al-Fitr) reaches shia and sunni persons; a Shia one
  (Ghadir, 17 Rabi' al-Awwal) only shia persons, a Sunni one (12 Rabi' al-Awwal) only sunni ones;
- a Christian, Jewish or Zoroastrian occasion reaches the persons of that religion. Base keeps no
  Christian sect, so Armenian Christmas reaches every Christian unless the rule narrows it with a
  partner-list filter (a group «ارامنه»): marketing does not add a column to base's partners;
- a person with no religion recorded, or "other", gets only the occasions of no religion.

Birthdays and anniversaries are matched on base's indexed ``birthday_md`` / ``marriage_md``
(Jalali month × 100 + day); on the last day of a 29-day Esfand the 30 Esfand ones are added, so
a person born on 30 Esfand is greeted every year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import Actor
from kernel.occasions import Occasion
from kernel.persian.jalali import days_in_month, to_jalali
from modules.base.models import Partner
from modules.marketing import audiences
from modules.marketing.models.occasion_rule import BIRTHDAY, MARRIAGE, NOWRUZ, PERSONAL, OccasionRule
from modules.marketing.placeholders import Recipient

ISLAMIC_SECTS = ("shia", "sunni")
# English msgids, translated where shown; the table's occasions carry their Persian names.
LABELS = {BIRTHDAY: "A person's birthday", MARRIAGE: "Wedding anniversary", NOWRUZ: "Nowruz (1 Farvardin)"}


@dataclass(frozen=True)
class Found:
    """The occasion of a rule on one day: its name and whom it concerns."""

    name: str
    religion: str = ""
    sect: str = ""


def partner_religions(religion: str, sect: str) -> tuple[str, ...] | None:
    """The values of base's partner ``religion`` an occasion is sent to; None: everyone."""
    if not religion:
        return None
    if religion == "islam":
        return (sect,) if sect in ISLAMIC_SECTS else ISLAMIC_SECTS
    return (religion,)


def month_days(day: dt.date) -> list[int]:
    """The ``birthday_md`` values greeted on ``day``: its own, and 30 Esfand on a 29-day Esfand's
    last day (a leap-day birthday is kept in the year without it)."""
    j = to_jalali(day)
    md = j.month * 100 + j.day
    if j.month == 12 and j.day == days_in_month(j.year, 12) == 29:
        return [md, 1230]
    return [md]


def occasion_on(session: Session, key: str, day: dt.date) -> Found | None:
    """The rule's occasion if it falls on ``day``; a birthday or an anniversary falls every day
    (whose it is, the recipients' query decides)."""
    if key == BIRTHDAY:
        return Found(LABELS[BIRTHDAY])
    if key == MARRIAGE:
        return Found(LABELS[MARRIAGE])
    if key == NOWRUZ:
        j = to_jalali(day)
        return Found(LABELS[NOWRUZ]) if (j.month, j.day) == (1, 1) else None
    row = session.scalars(select(Occasion).where(Occasion.key == key, Occasion.date == day,
                                                 Occasion.deleted_at.is_(None)).limit(1)).first()
    return Found(row.name, row.religion, row.sect) if row is not None else None


def known_keys(session: Session) -> dict[str, str]:
    """Every occasion a rule may name: the personal ones, Nowruz and the table's keys (by name)."""
    rows = session.execute(select(Occasion.key, Occasion.name).where(Occasion.deleted_at.is_(None))
                           .order_by(Occasion.date)).all()
    table = {key: name for key, name in rows}
    return {**LABELS, **table}


def recipients_select(kernel: Any, session: Session, actor: Actor, rule: OccasionRule, found: Found,
                      day: dt.date) -> Any:
    """The SELECT of the persons the rule greets on ``day``: the author's scope, the rule's
    list filter, persons only (company personnel are persons), the occasion's religion."""
    audience = audiences.normalise(kernel, session, {"kind": "filter", "query": rule.query or ""})
    stmt = audiences.partners_select(kernel, session, actor, audience).where(Partner.kind == "person")
    if rule.occasion in PERSONAL:
        column = Partner.birthday_md if rule.occasion == BIRTHDAY else Partner.marriage_md
        stmt = stmt.where(column.in_(month_days(day)))
    religions = partner_religions(found.religion, found.sect)
    if religions is not None:
        stmt = stmt.where(Partner.religion.in_(religions))
    return stmt


def recipients(kernel: Any, session: Session, actor: Actor, rule: OccasionRule, found: Found,
               day: dt.date) -> Iterator[Recipient]:
    for row in session.execute(recipients_select(kernel, session, actor, rule, found, day)):
        yield Recipient(row.id, row.kind, row.mobile, row.name, row.first_name, row.last_name, row.title, row.gender)
