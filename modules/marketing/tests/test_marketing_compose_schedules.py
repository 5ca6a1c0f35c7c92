"""Scheduled sends (MKT-02): a send at a Jalali date and time goes out when the clock reaches
it, and a date rule ("one day before each follow-up date", any module's date source) sends
about each record whose date is N days ahead exactly once per record and date, with the clock
moved back and forth. The messages go out through the SMS pipe to the local fake panel, and
what the panel received is counted there."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from kernel.jobs import run_due
from kernel.persian.jalali import jalali_to_date
from kernel.testing import jalali_at
from modules.marketing.compose import Draft, compose
from modules.marketing.models import DateRule, Message, Send
from modules.marketing.schedules import run_rule
from modules.marketing.testing import add_panel
from modules.marketing.tests.compose_helpers import (
    ENGINES,
    REMINDER,
    category,
    make,
    marketing_kernel,
    person,
    sender,
)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_scheduled_send_goes_out_when_its_time_comes(make_kernel: Any, engine: str, fake_panel: Any) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    add_panel(kernel, fake_panel)
    sara = sender(kernel)
    person(kernel, "مریم", "احمدی", "+989121000001")
    at = jalali_at(1405, 9, 20, 18, 30)
    with kernel.session(sara) as s:
        sid = compose(kernel, s, sara, Draft({"kind": "filter", "query": "f_kind=person"},
                                             category(kernel, REMINDER), "یادآوری جلسهٔ فردا", scheduled_at=at),
                      now=jalali_at(1405, 9, 19)).id
    # A partner added before the time is in the audience: it is resolved when the send goes out.
    person(kernel, "علی", "رضایی", "+989121000002")
    run_due(kernel, now=at - dt.timedelta(minutes=5))
    with kernel.sessions() as s:
        send = s.get(Send, sid)
        assert send is not None and send.state == "scheduled"
        assert s.scalars(select(Message.id)).all() == []
    run_due(kernel, now=at + dt.timedelta(minutes=1))
    run_due(kernel, now=at + dt.timedelta(minutes=3))
    with kernel.sessions() as s:
        send = s.get(Send, sid)
        assert send is not None and (send.state, send.total, send.sent) == ("done", 2, 2)
        assert sorted(s.scalars(select(Message.address))) == ["+989121000001", "+989121000002"]
    assert sorted(fake_panel.state.sends_per_mobile.items()) == [("09121000001", 1), ("09121000002", 1)]


@pytest.mark.parametrize("engine", ENGINES)
def test_one_day_before_each_follow_up_date_once_per_record_and_date(make_kernel: Any, engine: str,
                                                                    fake_panel: Any) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    add_panel(kernel, fake_panel)
    sara = sender(kernel)
    ali = person(kernel, "علی", "رضایی", "+989121000001")
    mina = person(kernel, "مینا", "کاظمی", "+989121000002")
    due = jalali_to_date(1405, 9, 21)

    def follow_up(partner: int, day: dt.date) -> int:
        return make(kernel, "base.communication", partner_id=partner, kind="call", direction="out",
                    subject="پیگیری", started_at=dt.datetime(2026, 11, 1, 8), follow_up_on=day)

    first = follow_up(ali, due)
    follow_up(mina, due + dt.timedelta(days=5))
    with kernel.session() as s:
        rule = DateRule(name="یک روز پیش از پیگیری", source="base.follow_up", days_before=1,
                        category_id=category(kernel, REMINDER), body="{first_name} گرامی، فردا با شما تماس می‌گیریم",
                        owner_id=sara.user_id, created_by_id=sara.user_id)
        s.add(rule)
        s.flush()
        rule_id = rule.id
    run_due(kernel, now=jalali_at(1405, 9, 19, 10))  # two days before: nothing
    run_due(kernel, now=jalali_at(1405, 9, 20, 6))  # the day before, at night: not yet
    run_due(kernel, now=jalali_at(1405, 9, 20, 10))
    run_due(kernel, now=jalali_at(1405, 9, 20, 16))  # again the same day: nothing twice
    with kernel.session() as s:  # and the rule run by hand once more
        got = s.get(DateRule, rule_id)
        assert got is not None and run_rule(kernel, s, got, jalali_at(1405, 9, 20, 17)) is None
    with kernel.sessions() as s:
        rows = s.execute(select(Message.address, Message.body, Message.state)).all()
    assert rows == [("+989121000001", "علی گرامی، فردا با شما تماس می‌گیریم", "delivered")]  # the report polled
    # A second record falling on the same date later that day is sent about, alone.
    second = follow_up(mina, due)
    run_due(kernel, now=jalali_at(1405, 9, 20, 20))
    # The clock moved back a day and forward again: nothing sent twice.
    run_due(kernel, now=jalali_at(1405, 9, 19, 11))
    run_due(kernel, now=jalali_at(1405, 9, 20, 21))
    with kernel.sessions() as s:
        assert sorted(s.scalars(select(Message.address))) == ["+989121000001", "+989121000002"]
        labels = list(s.scalars(select(Send.audience_label).order_by(Send.id)))
    assert labels == ["یک روز پیش از پیگیری — ۱۴۰۵/۰۹/۲۱"] * 2
    assert sorted(fake_panel.state.sends_per_mobile.values()) == [1, 1]  # each told once
    assert first and second


def test_a_date_rule_names_a_date_an_enabled_module_declares(make_kernel: Any, web_client: Any) -> None:
    from kernel.testing import create_user, csrf

    kernel = marketing_kernel(make_kernel)
    create_user(kernel, "sara", perms=("marketing.date_rule.*", "marketing.category.view", "marketing.template.view"))
    c = web_client(kernel, "sara")
    data = {"csrf": csrf(c, "/marketing/date_rule/new"), "name": "پیش از سررسید", "source": "finance.invoice_end",
            "days_before": "۱", "category_id": str(category(kernel, REMINDER)), "body": "{name}، فردا سررسید است",
            "active": "1"}
    # The form offers the dates of the enabled modules by name; finance is not enabled here.
    form = c.get("/marketing/date_rule/new").text
    assert '<option value="base.follow_up"' in form and "پیگیری‌های سررسیده" in form
    assert "finance.invoice_end" not in form
    refused = c.post("/marketing/date_rule/new", data=data)
    assert refused.status_code in (400, 422)
    assert "یکی از گزینه‌های فهرست را انتخاب کنید" in refused.text
    with kernel.sessions() as s:
        assert s.scalars(select(DateRule)).first() is None
    made = c.post("/marketing/date_rule/new", data={**data, "source": "base.follow_up"}, follow_redirects=False)
    assert made.status_code == 303
    with kernel.sessions() as s:
        rule = s.scalars(select(DateRule)).one()
    assert (rule.source, rule.days_before, rule.owner_id is not None) == ("base.follow_up", 1, True)
