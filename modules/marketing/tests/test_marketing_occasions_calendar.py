"""The yearly occasions calendar (MKT-06) and "birthday SMS today": each day shows its occasions
with whom a religious one concerns, the birthdays and wedding anniversaries counted by one
grouped query per column whatever the number of partners (a 30 Esfand birthday on 29 Esfand of a
common year), and the rules firing for it; from today's box, a birthday SMS goes to the persons
whose Jalali birthday is today, refused in Persian with a bad text and nothing sent."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import event

from kernel.persian.jalali import jalali_to_date, to_jalali
from kernel.testing import csrf
from kernel.timezone import local_today
from modules.marketing.occasions import calendar
from modules.marketing.tests.compose_helpers import ENGINES, category, marketing_kernel, person
from modules.marketing.tests.occasions_helpers import GREETING, manager, occasion_date, rule, sends, texts


def day_cell(page: str, day: dt.date) -> str:
    found = re.search(rf'<li data-day="{day.isoformat()}"[^>]*>(.*?)</li>', page, re.S)
    assert found is not None, day
    return found.group(1)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_calendar_shows_occasions_counts_and_rules(make_kernel: Any, web_client: Any, engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    nasrin = manager(kernel)
    for i in range(12):
        person(kernel, "مهمان", f"شمارهٔ {i}", None, birthday=jalali_to_date(1360 + i, 9, 16),
               marriage_date=jalali_to_date(1390, 1, 1) if i < 3 else None)
    person(kernel, "نوروز", "پیشواز", None, birthday=jalali_to_date(1399, 12, 30))
    rule(kernel, nasrin, "ghadir", name="تبریک غدیر")
    rule(kernel, nasrin, "birthday", name="تبریک زادروز")

    statements: list[str] = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731 — the statement of each execute
    event.listen(kernel.engine, "before_cursor_execute", listen)
    try:
        with kernel.sessions() as s:
            months = calendar.year(kernel, s, nasrin, 1405)
    finally:
        event.remove(kernel.engine, "before_cursor_execute", listen)
    # The occasions, two grouped counts and the rules: not a statement per partner or per day.
    assert len(statements) <= 6 and sum("GROUP BY" in q for q in statements) == 2
    assert [len(m.days) for m in months] == [31] * 6 + [30] * 5 + [29]

    page = web_client(kernel, "nasrin").get("/marketing/occasions/calendar?year=۱۴۰۵")
    assert page.status_code == 200 and "تقویم مناسبت‌های ۱۴۰۵" in page.text
    azar16 = day_cell(page.text, jalali_to_date(1405, 9, 16))
    assert 'data-birthdays="12"' in azar16 and "۱۲ زادروز" in azar16 and "تبریک زادروز" in azar16
    nowruz = day_cell(page.text, jalali_to_date(1405, 1, 1))
    assert "۳ سالگرد ازدواج" in nowruz and "نوروز" in nowruz
    assert "۱ زادروز" in day_cell(page.text, jalali_to_date(1405, 12, 29))  # 30 Esfand, in a 29-day Esfand
    ghadir = day_cell(page.text, occasion_date(kernel, "ghadir"))
    assert "عید سعید غدیر خم" in ghadir and "(مسلمان شیعه)" in ghadir and "تبریک غدیر" in ghadir
    assert "(مسیحی)" in day_cell(page.text, occasion_date(kernel, "christmas"))
    yalda = day_cell(page.text, occasion_date(kernel, "yalda"))
    assert "شب یلدا" in yalda and "(" not in yalda.split("شب یلدا")[1].split("</span>")[0]  # everyone's


@pytest.mark.parametrize("engine", ENGINES)
def test_a_birthday_sms_today_from_the_calendar(make_kernel: Any, web_client: Any, engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    manager(kernel)
    today = to_jalali(local_today(kernel.config.timezone))
    this_day = jalali_to_date(1403, today.month, today.day)  # 1403 has every month's last day
    person(kernel, "مریم", "احمدی", "+989121000001", gender="female", birthday=this_day)
    person(kernel, "علی", "رضایی", "+989121000002", birthday=this_day - dt.timedelta(days=1))
    c = web_client(kernel, "nasrin")
    token = csrf(c, "/marketing/occasions/calendar")
    data = {"csrf": token, "category_id": str(category(kernel, GREETING)), "body": "{name}، {زادروز} مبارک"}
    refused = c.post("/marketing/occasions/birthdays", data=data)
    assert refused.status_code == 400 and "جای‌نگهدار ناشناخته: {زادروز}" in refused.text
    assert sends(kernel) == []
    sent = c.post("/marketing/occasions/birthdays", data={**data, "body": "{name}، زادروزتان خجسته باد"},
                  follow_redirects=False)
    assert sent.status_code == 303
    [(sid, state, _)] = sends(kernel)
    assert state == "queued"
    assert texts(kernel, sid) == [("+989121000001", "queued", None, "سرکار خانم مریم احمدی، زادروزتان خجسته باد")]
