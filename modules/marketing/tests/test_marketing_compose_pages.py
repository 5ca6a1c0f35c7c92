"""The pages of sending (MKT-02): New SMS with its live preview, the send's page with its
progress and recipients, the message log, and the one-click SMS from a partner's page, the
partner list and the daily reminder report — in Persian, each behind its permission."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from kernel.jobs import run_due
from kernel.persian.jalali import format_jalali
from kernel.testing import create_user, csrf
from kernel.timezone import local_today
from modules.marketing.models import Message, Send
from modules.marketing.testing import add_panel
from modules.marketing.tests.compose_helpers import (
    ADS,
    ENGINES,
    REMINDER,
    category,
    company,
    count_sends,
    make,
    marketing_kernel,
    person,
    sender,
)
from modules.marketing.tests.sms_helpers import T0, drain


def form(c: Any, **values: str) -> dict[str, str]:
    return {"csrf": csrf(c, "/marketing/sms/new"), "when": "now", **values}


@pytest.mark.parametrize("engine", ENGINES)
def test_compose_a_range_preview_it_send_it_and_follow_it(make_kernel: Any, web_client: Any, engine: str,
                                                          fake_panel: Any) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    sender(kernel)
    add_panel(kernel, fake_panel)
    c = web_client(kernel, "sara")
    page = c.get("/marketing/sms/new")
    assert page.status_code == 200 and "پیامک جدید" in page.text and "بازه‌ای از شماره‌های همراه" in page.text
    assert 'lang="fa"' in page.text and "{first_name}" in page.text
    body = "مشتری گرامی، حراج پاییزه از فردا آغاز می‌شود. تا پنجاه درصد تخفیف روی همهٔ کالاها. فروشگاه پیوند"
    params = {"audience": "range", "range_start": "۰۹۱۲۱۱۱۱۲۰۰", "range_end": "۰۹۱۲۱۱۱۱۲۹۹",
              "category_id": str(category(kernel, ADS)), "body": body}
    got = c.get("/marketing/sms/preview", params=params).json()
    assert (got["total"], got["queued"], got["per_message"], got["parts"]) == (100, 100, 2, 200)
    assert got["summary"] == "۱۰۰ از ۱۰۰ گیرنده، ۲۰۰ بخش پیامک"
    assert count_sends(kernel) == (0, 0)  # a preview writes nothing
    bad = c.get("/marketing/sms/preview", params={**params, "range_end": "۰۹۱۲"}).json()
    assert bad == {"errors": {"range_end": "شمارهٔ همراه نیست: ۰۹۱۲"}}
    sent = c.post("/marketing/sms/new", data=form(c, **params), follow_redirects=False)
    assert sent.status_code == 303
    url = sent.headers["location"]
    with kernel.sessions() as s:
        sid = s.scalars(select(Send.id)).one()
    assert url == f"/marketing/send/{sid}"
    show = c.get(url)
    assert show.status_code == 200 and 'id="send-progress"' in show.text and "<progress" in show.text
    assert show.text.count('<tr data-state="queued" data-message=') == 100 and "در صف" in show.text
    progress = c.get(f"/marketing/send/{sid}/progress").json()
    assert progress["total"] == 100 and progress["queued"] == 100 and progress["percent"] == 0
    assert len(progress["rows"]) == 100 and set(map(tuple, progress["rows"].values())) == {("queued", "در صف")}
    # The worker sends; the fake panel delivers every mobile but those ending in 9: the page's
    # JSON carries each listed recipient's new state, in Persian, for its rows to follow.
    drain(kernel)
    run_due(kernel, now=T0 + dt.timedelta(hours=6))  # the delivery reports' polling
    progress = c.get(f"/marketing/send/{sid}/progress").json()
    assert (progress["delivered"], progress["failed"], progress["awaiting"], progress["percent"]) == (90, 10, 0, 100)
    with kernel.sessions() as s:
        nine = s.scalars(select(Message.id).where(Message.send_id == sid, Message.address == "+989121111209")).one()
    assert progress["rows"][str(nine)] == ["failed", "ناموفق"]
    assert sum(1 for st, _ in progress["rows"].values() if st == "delivered") == 90
    log = c.get("/marketing/message/", params={"f_send_id": str(sid)})
    assert log.status_code == 200 and "گزارش پیام‌ها" in log.text


@pytest.mark.parametrize("engine", ENGINES)
def test_a_company_is_refused_on_the_form_and_nothing_is_sent(make_kernel: Any, web_client: Any, engine: str) -> None:
    kernel = marketing_kernel(make_kernel, engine)
    sender(kernel)
    co = company(kernel, "صنایع البرز", "+989121000003")
    c = web_client(kernel, "sara")
    data = form(c, audience="partner", partner_id=str(co), category_id=str(category(kernel, REMINDER)),
                body="یادآوری پرداخت")
    resp = c.post("/marketing/sms/new", data=data)
    assert resp.status_code == 400
    assert "«صنایع البرز» شرکت است و پیامک برای اشخاص فرستاده می‌شود" in resp.text
    assert 'data-error-for="partner_id"' in resp.text and "یادآوری پرداخت</textarea>" in resp.text
    assert count_sends(kernel) == (0, 0)
    empty = c.post("/marketing/sms/new", data=form(c, audience="range", range_start="09121111200",
                                                   range_end="09121111201", category_id="", body=""))
    assert empty.status_code == 400 and "دستهٔ ارسال را انتخاب کنید" in empty.text
    assert "متن پیام را بنویسید یا قالبی انتخاب کنید" in empty.text


def test_schedule_a_send_at_a_jalali_date_and_time(make_kernel: Any, web_client: Any) -> None:
    kernel = marketing_kernel(make_kernel)
    sender(kernel)
    person(kernel, "مریم", "احمدی", "+989121000001")
    c = web_client(kernel, "sara")
    tomorrow = format_jalali(local_today() + dt.timedelta(days=1))
    data = form(c, audience="filter", query="f_kind=person", category_id=str(category(kernel, REMINDER)),
                body="یادآوری: فردا", when="later", send_date=tomorrow, send_time="۱۸:۳۰")
    resp = c.post("/marketing/sms/new", data=data, follow_redirects=False)
    assert resp.status_code == 303
    with kernel.sessions() as s:
        send = s.scalars(select(Send)).one()
    assert send.state == "scheduled" and send.total == 0 and send.scheduled_at is not None
    assert (send.scheduled_at.hour, send.scheduled_at.minute) == (15, 0)  # 18:30 Tehran is 15:00 UTC
    page = c.get(resp.headers["location"]).text
    assert "زمان‌بندی‌شده برای" in page and "گیرندگان هنگام ارسال انتخاب می‌شوند" in page
    past = c.post("/marketing/sms/new", data={**data, "send_date": format_jalali(local_today() - dt.timedelta(days=1))})
    assert past.status_code == 400 and "زمانی در آینده انتخاب کنید" in past.text


def test_one_click_sms_from_a_partner_the_partner_list_and_the_daily_report(make_kernel: Any,
                                                                            web_client: Any) -> None:
    kernel = marketing_kernel(make_kernel)
    create_user(kernel, "sara", perms=("marketing.sms.send", "base.partner.view", "base.communication.view",
                                       "kernel.daily_report.view"))
    create_user(kernel, "nima", perms=("base.partner.view",))
    ali = person(kernel, "علی", "رضایی", "+989121111201")
    make(kernel, "base.communication", partner_id=ali, kind="call", direction="out", subject="پیگیری سفارش",
         started_at=dt.datetime(2026, 1, 1, 8), follow_up_on=local_today())
    c = web_client(kernel, "sara")
    record = c.get(f"/base/partner/{ali}").text
    assert f'href="/marketing/sms/new?partner_id={ali}"' in record and "ارسال پیامک" in record
    prefilled = c.get(f"/marketing/sms/new?partner_id={ali}").text
    assert 'value="partner" checked' in prefilled and "علی رضایی" in prefilled
    listing = c.get("/base/partner/", params={"f_kind": "person", "q": "رضایی"}).text
    link = re.search(r'href="([^"]+)" data-sms-list', listing)
    assert link is not None
    query = parse_qs(urlparse(link.group(1).replace("&amp;", "&")).query)
    assert query["audience"] == ["filter"] and parse_qs(query["query"][0]) == {"f_kind": ["person"], "q": ["رضایی"]}
    daily = c.get("/reminders/daily", params={"source": "base.follow_up", "day": format_jalali(local_today())}).text
    assert f'href="/marketing/sms/new?partner_id={ali}"' in daily
    # Without the permission: no entry, and the page itself is refused.
    n = web_client(kernel, "nima")
    assert "/marketing/sms/new" not in n.get(f"/base/partner/{ali}").text
    assert n.get("/marketing/sms/new").status_code == 403
    assert n.get("/marketing/sms/preview").status_code == 403


@pytest.mark.parametrize("engine", ENGINES)
def test_the_message_log_follows_the_partners_scope(make_kernel: Any, web_client: Any, engine: str) -> None:
    from modules.marketing.compose import Draft, compose

    kernel = marketing_kernel(make_kernel, engine)
    sara, reza = sender(kernel, "sara", scope="own"), sender(kernel, "reza", scope="own")
    person(kernel, "مریم", "احمدی", "+989121000001", sara)
    person(kernel, "زهرا", "کریمی", "+989121000004", reza)
    for actor in (sara, reza):
        with kernel.session(actor) as s:
            compose(kernel, s, actor, Draft({"kind": "filter", "query": ""}, category(kernel, REMINDER), "سلام"))
    for name, mine, other in (("sara", "مریم احمدی", "زهرا کریمی"), ("reza", "زهرا کریمی", "مریم احمدی")):
        log = web_client(kernel, name).get("/marketing/message/").text
        assert mine in log and other not in log
