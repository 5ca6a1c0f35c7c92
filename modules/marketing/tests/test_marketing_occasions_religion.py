"""Whom a religious occasion reaches (MKT-06): its religion and sect against base's partner
religion — Ghadir to Shia Muslims, 12 Rabi' al-Awwal to Sunni ones, Eid al-Fitr to both,
Christmas to Christians, Yalda and Nowruz to everyone, a person with no religion recorded only
the occasions of no religion. Persons only (no company), narrowed by the rule's list filter,
made "days before" the occasion, and only on the occasion's day of the table (Eid al-Fitr moves)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from kernel.persian.jalali import jalali_to_date
from kernel.testing import jalali_at
from kernel.timezone import to_utc
from modules.marketing.models import Message, OccasionRule
from modules.marketing.occasions.job import run_rule
from modules.marketing.tests.compose_helpers import ENGINES, company, make, marketing_kernel, person
from modules.marketing.tests.occasions_helpers import manager, occasion_date, rule, run_job, sends, texts


def greeted(kernel: Any, rule_id: int, day: dt.date) -> set[str]:
    """The first names a rule greets on ``day`` (its batch made by the rule's run)."""
    with kernel.session() as s:
        got = s.get(OccasionRule, rule_id)
        assert got is not None
        send = run_rule(kernel, s, got, day, to_utc(dt.datetime.combine(day, dt.time(10))))
        if send is None:
            return set()
        return set(s.scalars(select(Message.body).where(Message.send_id == send.id)))


@pytest.mark.parametrize("engine", ENGINES)
def test_each_occasion_reaches_the_persons_of_its_religion_and_sect(make_kernel: Any, engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    nasrin = manager(kernel)
    for first, religion, mobile in (("حسین", "shia", "+989121000001"), ("عمر", "sunni", "+989121000002"),
                                    ("آرا", "christian", "+989121000003"), ("بی‌نام", None, "+989121000004"),
                                    ("دیگر", "other", "+989121000005"), ("کوروش", "zoroastrian", "+989121000006")):
        person(kernel, first, "آزمون", mobile, religion=religion)
    company(kernel, "صنایع البرز", "+989121000009")
    body = "{first_name}"
    expected = {
        "ghadir": {"حسین"},
        "mawlid-sunni": {"عمر"},
        "eid-al-fitr-1": {"حسین", "عمر"},
        "christmas": {"آرا"},
        "tirgan": {"کوروش"},
        "yalda": {"حسین", "عمر", "آرا", "بی‌نام", "دیگر", "کوروش"},
    }
    ids = {}
    for key, names in expected.items():
        ids[key] = rid = rule(kernel, nasrin, key, body=body, name=f"پیام {key}")
        day = occasion_date(kernel, key)
        assert greeted(kernel, rid, day - dt.timedelta(days=1)) == set(), key  # not its day
        assert greeted(kernel, rid, day) == names, key
    # Eid al-Fitr moves: 18 Esfand in 1405, 7 Esfand in 1406 (the table's dates, Iran's corrections).
    assert occasion_date(kernel, "eid-al-fitr-1") == jalali_to_date(1405, 12, 18)
    assert greeted(kernel, ids["eid-al-fitr-1"], jalali_to_date(1406, 12, 18)) == set()
    assert greeted(kernel, ids["eid-al-fitr-1"], jalali_to_date(1406, 12, 7)) == {"حسین", "عمر"}


@pytest.mark.parametrize("engine", ENGINES)
def test_nowruz_days_before_and_a_list_filter(make_kernel: Any, engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    nasrin = manager(kernel)
    armenians = make(kernel, "base.group", name="ارامنه")
    person(kernel, "آرمن", "هاکوپیان", "+989121000001", religion="christian", group_id=armenians)
    person(kernel, "آرا", "یوسفیان", "+989121000002", religion="christian")
    person(kernel, "مریم", "احمدی", "+989121000003")
    # Armenian Christmas to the group «ارامنه» only (base records no Christian sect), two days early.
    rule(kernel, nasrin, "armenian-christmas", body="{first_name}، کریسمس مبارک", days_before=2,
         query=f"f_group={armenians}", name="کریسمس ارمنی")
    rule(kernel, nasrin, "nowruz", body="{first_name}، نوروز مبارک", name="نوروز", send_hour=8)
    eve = occasion_date(kernel, "armenian-christmas") - dt.timedelta(days=2)
    run_job(kernel, to_utc(dt.datetime.combine(eve, dt.time(9, 30))))
    run_job(kernel, to_utc(dt.datetime.combine(eve + dt.timedelta(days=2), dt.time(9, 30))))  # the day: none
    run_job(kernel, jalali_at(1406, 1, 1, 8, 15))
    got = [(label, sorted(b for _, _, _, b in texts(kernel, sid))) for sid, _, label in sends(kernel)]
    assert got[0][1] == ["آرمن، کریسمس مبارک"] and (got[0][0] or "").startswith("کریسمس ارمنی — ")
    assert got[1] == ("نوروز — ۱۴۰۶/۰۱/۰۱", ["آرا، نوروز مبارک", "آرمن، نوروز مبارک", "مریم، نوروز مبارک"])
    assert len(got) == 2
