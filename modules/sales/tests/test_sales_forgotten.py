"""Forgotten leads and opportunities (SAL-06) and the forecast and won/lost reports (SAL-05)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import update

from kernel import utcnow
from kernel.testing import alarms_of, create_record, csrf
from modules.sales.tests.sales_helpers import (
    ENGINES,
    as_user,
    deal,
    opportunity,
    partner,
    people,
    reason,
    sales_kernel,
    stages,
)


def age(kernel: Any, model: Any, record_id: int, days: int) -> None:
    with kernel.session() as s:
        s.execute(update(model).where(model.id == record_id)
                  .values(last_activity_at=utcnow() - dt.timedelta(days=days)))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_communication_or_a_task_is_activity_and_the_rest_is_listed_and_alarmed(make_kernel: Any,
                                                                                  engine: str) -> None:
    from modules.sales.models import Lead, Opportunity
    from modules.sales.services.forgotten import alarm_owners

    k = sales_kernel(make_kernel, engine)
    u = people(k)
    hotel = partner(k, u["sara"], "هتل پارسیان")
    quiet = deal(k, u["sara"], "فرش لابی", hotel, 10)
    called = deal(k, u["sara"], "فرش رستوران", partner(k, u["sara"], "رستوران شب"), 20)
    tasked = deal(k, u["sara"], "فرش سالن", partner(k, u["sara"], "تالار"), 30)
    lead = create_record(k, u["sara"], "sales.lead", title="استعلام", contact_name="کریمی")
    rezas = deal(k, u["reza"], "فرش مسجد", partner(k, u["reza"], "هیئت"), 40)
    for opp in (quiet, called, tasked, rezas):
        age(k, Opportunity, opp, 20)
    age(k, Lead, lead, 30)
    create_record(k, u["sara"], "base.communication", partner_id=opportunity(k, called).partner_id, kind="call",
                  subject="پیگیری قیمت", started_at=utcnow())
    create_record(k, u["sara"], "tasks.task", title="ارسال نمونه", link_resource="sales.opportunity", link_id=tasked)
    assert opportunity(k, called).last_activity_at > utcnow() - dt.timedelta(minutes=1)
    assert opportunity(k, tasked).last_activity_at > utcnow() - dt.timedelta(minutes=1)

    from modules.sales.reports import forgotten_report

    def listed(user: str, **params: str) -> list[tuple[Any, ...]]:
        with k.sessions() as s:
            return forgotten_report(s, as_user(k, u[user]), params, k, "fa")[1]

    saras = listed("sara")
    assert [(r[0], r[1], r[5]) for r in saras] == [("سرنخ", "استعلام", 30), ("فرصت فروش", "فرش لابی", 20)]
    assert [r[1] for r in listed("maryam")] == ["استعلام", "فرش لابی", "فرش مسجد"]  # the team's
    assert [r[1] for r in listed("maryam", owner=str(u["reza"]))] == ["فرش مسجد"]
    assert listed("sara", days="۲۵")[0][1] == "استعلام" and len(listed("sara", days="25")) == 1
    with k.session() as s:
        assert alarm_owners(s, k, utcnow()) == 2
    with k.session() as s:
        assert alarm_owners(s, k, utcnow()) == 0  # once a day
    [(title, _)] = alarms_of(k, u["sara"])
    assert title == "۲ سرنخ و فرصت فروش بی هیچ کاری در ۱۴ روز گذشته"


def test_the_days_are_a_setting_with_a_persian_refusal(make_kernel: Any, web_client: Any) -> None:
    from modules.sales.services.forgotten import forgotten_days

    k = sales_kernel(make_kernel)
    people(k)
    c = web_client(k, "maryam")
    assert c.get("/sales/settings").status_code == 200
    bad = c.post("/sales/settings", data={"forgotten_days": "صفر", "csrf": csrf(c, "/sales/settings")})
    assert bad.status_code == 422 and "عددی از ۱ تا ۳۶۵ روز بنویسید" in bad.text
    c.post("/sales/settings", data={"forgotten_days": "۲۱", "csrf": csrf(c, "/sales/settings")})
    with k.sessions() as s:
        assert forgotten_days(k, s) == 21
    assert web_client(k, "sara").get("/sales/settings").status_code == 403


@pytest.mark.parametrize("engine", ENGINES)
def test_forecast_weights_by_probability_and_won_lost_groups_by_reason(make_kernel: Any, web_client: Any,
                                                                       engine: str) -> None:
    from modules.sales.services.moves import move

    k = sales_kernel(make_kernel, engine)
    u = people(k)
    st = stages(k)
    hotel = partner(k, u["sara"])
    deal(k, u["sara"], "الف", hotel, 1_000_000)  # نیازسنجی 10%
    b = deal(k, u["sara"], "ب", hotel, 2_000_000)
    c = deal(k, u["sara"], "ج", hotel, 5_000_000)
    d = deal(k, u["sara"], "د", hotel, 7_000_000)
    actor = as_user(k, u["sara"])
    with k.session(actor) as s:
        move(k, s, actor, b, st["سفارش فروش"].id)  # 30%
        move(k, s, actor, c, st["برنده"].id)
        move(k, s, actor, d, st["بازنده"].id, lost_reason_id=reason(k))
    client = web_client(k, "sara")
    page = client.get("/reports/sales.forecast").text
    assert "نیازسنجی" in page and "۱۰۰٬۰۰۰ ریال" in page and "۶۰۰٬۰۰۰ ریال" in page
    closed = client.get("/reports/sales.won_lost").text
    assert "برنده" in closed and "۵٬۰۰۰٬۰۰۰ ریال" in closed and "انتخاب رقیب" in closed


def test_each_salespersons_evaluation_in_the_period(make_kernel: Any, web_client: Any) -> None:
    from modules.sales.services.moves import move

    k = sales_kernel(make_kernel)
    u = people(k)
    st = stages(k)
    hotel = partner(k, u["sara"])
    won = deal(k, u["sara"], "الف", hotel, 3_000_000)
    lost = deal(k, u["sara"], "ب", hotel, 1_000_000)
    deal(k, u["sara"], "ج", hotel, 9_000_000)
    deal(k, u["reza"], "د", partner(k, u["reza"], "مسجد"), 5_000_000)
    create_record(k, u["sara"], "base.communication", partner_id=hotel, kind="call", subject="پیگیری",
                  started_at=utcnow())
    actor = as_user(k, u["sara"])
    with k.session(actor) as s:
        move(k, s, actor, won, st["برنده"].id)
        move(k, s, actor, lost, st["بازنده"].id, lost_reason_id=reason(k))
    page = web_client(k, "maryam").get("/reports/sales.agents").text
    sara_row = page[page.index("Sara"):page.index("</tr>", page.index("Sara"))]
    for cell in ("۱", "۳", "۵۰٪", "۳٬۰۰۰٬۰۰۰ ریال"):
        assert cell in sara_row, cell
    assert "Reza" in page
    refused = web_client(k, "maryam").get("/reports/sales.agents", params={"from": "1405/09/20", "to": "1405/09/01"})
    assert "پایان پیش از شروع است" in refused.text
