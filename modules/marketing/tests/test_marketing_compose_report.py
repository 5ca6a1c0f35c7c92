"""The category report (MKT-04): messages, parts, cost and responses per send category and
Jalali month; skipped messages are not counted, a reply after the window is not a response."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import update

from kernel.testing import create_user, jalali_at
from modules.marketing.compose import Draft, compose
from modules.marketing.models import Inbound, Message
from modules.marketing.tests.compose_helpers import ADS, ENGINES, REMINDER, category, marketing_kernel, sender


@pytest.mark.parametrize("engine", ENGINES)
def test_count_parts_cost_and_responses_per_category_and_month(make_kernel: Any, web_client: Any,
                                                               engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    sara = sender(kernel)
    long_text = "س" * 100  # two parts each
    azar, dey = jalali_at(1405, 9, 10, 10), jalali_at(1405, 10, 5, 10)
    with kernel.session(sara) as s:
        compose(kernel, s, sara, Draft({"kind": "range", "start": "09121111200", "end": "09121111203"},
                                       category(kernel, ADS), long_text), now=azar)
        compose(kernel, s, sara, Draft({"kind": "range", "start": "09121111200", "end": "09121111201"},
                                       category(kernel, REMINDER), "کوتاه"), now=dey)
    with kernel.session() as s:
        # As the sending pipe will record them: a cost per message; one advertising message skipped.
        s.execute(update(Message).where(Message.address == "+989121111203", Message.category_id
                                        == category(kernel, ADS)).values(state="skipped"))
        s.execute(update(Message).values(cost=1_500))
        s.add_all([
            Inbound(source="panel:1", provider_id="a", address="+989121111200", body="لغو۱۱",
                    received_at=azar + dt.timedelta(hours=5)),  # within 3 days: a response
            Inbound(source="panel:1", provider_id="b", address="+989121111201", body="سلام",
                    received_at=azar + dt.timedelta(days=10)),  # too late
        ])
    create_user(kernel, "mahsa", perms=("marketing.message.view", "marketing.by_category.report"))
    page = web_client(kernel, "mahsa").get("/reports/marketing.by_category",
                                           params={"from": "۱۴۰۵/۰۹/۰۱", "to": "۱۴۰۵/۱۰/۳۰", "days": "۳"})
    assert page.status_code == 200, page.text[:500]
    from kernel.testing import actor_of
    from modules.marketing.report_categories import by_category

    with kernel.sessions() as s:
        titles, rows = by_category(s, actor_of(kernel, sara.user_id),
                                   {"from": "۱۴۰۵/۰۹/۰۱", "to": "۱۴۰۵/۱۰/۳۰", "days": "3"}, kernel, "fa")
    assert titles[0] == "Month" and rows == [["آذر ۱۴۰۵", ADS, 3, 6, 4_500, 1], ["دی ۱۴۰۵", REMINDER, 2, 2, 3_000, 0]]
    assert "آذر ۱۴۰۵" in page.text and "پیام‌ها به تفکیک دسته و ماه" in page.text
