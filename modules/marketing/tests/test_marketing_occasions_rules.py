"""The occasion rule form (MKT-06): an unknown occasion key, a text with an unknown placeholder,
days or an hour out of range are refused on their fields in Persian with nothing saved; a
rule naming a key of the occasions table is saved. On both engines; the API refuses alike."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.testing import csrf
from modules.marketing.models import OccasionRule
from modules.marketing.tests.compose_helpers import ENGINES, category, marketing_kernel
from modules.marketing.tests.occasions_helpers import CONDOLENCE, GREETING, manager


def count(kernel: Any) -> int:
    with kernel.sessions() as s:
        return s.scalar(select(func.count()).select_from(OccasionRule)) or 0


@pytest.mark.parametrize("engine", ENGINES)
def test_bad_rules_are_refused_on_their_fields_and_nothing_is_saved(make_kernel: Any, web_client: Any,
                                                                   engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    manager(kernel)
    c = web_client(kernel, "nasrin")
    data = {"csrf": csrf(c, "/marketing/occasion_rule/new"), "name": "تبریک عید غدیر", "occasion": "ghadir-typo",
            "days_before": "۴۵", "send_hour": "۲۵", "category_id": str(category(kernel, GREETING)),
            "body": "{name}، {birth} مبارک", "active": "1"}
    refused = c.post("/marketing/occasion_rule/new", data=data)
    assert refused.status_code in (400, 422)
    page = refused.text
    assert "مناسبت ناشناخته: ghadir-typo" in page and "ghadir" in page.split("ghadir-typo", 1)[1]
    assert "بین -30 و 30 روز" in page or "بین ‎-30 و 30 روز" in page or "بین -۳۰ و ۳۰ روز" in page
    assert "ساعتی بین ۰ و ۲۳" in page
    assert "جای‌نگهدار ناشناخته: {birth}" in page
    assert count(kernel) == 0
    made = c.post("/marketing/occasion_rule/new", data={**data, "occasion": "ghadir", "days_before": "۱",
                                                        "send_hour": "۸", "body": "{name}، عید غدیر مبارک"},
                  follow_redirects=False)
    assert made.status_code == 303
    with kernel.sessions() as s:
        rule = s.scalars(select(OccasionRule)).one()
    assert (rule.occasion, rule.days_before, rule.send_hour, rule.auto_send) == ("ghadir", 1, 8, False)


def test_the_api_refuses_an_unknown_occasion_alike(make_kernel: Any, api_client: Any) -> None:
    kernel = marketing_kernel(make_kernel)
    manager(kernel)
    api = api_client(kernel, "nasrin")
    body = {"name": "تسلیت عاشورا", "occasion": "ashura-x", "category_id": category(kernel, CONDOLENCE),
            "body": "{name}، با شما هم‌دردیم", "days_before": 0, "send_hour": 9}
    refused = api.post("/api/marketing/occasion_rule", json=body)
    assert refused.status_code in (400, 422) and "occasion" in refused.text
    assert count(kernel) == 0
    assert api.post("/api/marketing/occasion_rule", json={**body, "occasion": "ashura"}).status_code in (200, 201)
    assert count(kernel) == 1
