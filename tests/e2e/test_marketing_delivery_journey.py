"""Two of issue 13's journeys in Chromium, in Persian, through the whole pipe with the fake panel
(a real HTTP server) and the worker's jobs run by the test:

- an SMS to a range of 100 mobiles: the send's page shows its progress bar move and each
  recipient's state change as the fake panel's delivery reports arrive (it delivers every mobile
  but those ending in 9), without reloading;
- "one day before the departure date": a rule on the invoices' end date (finance installed) made
  on its form by choosing the date by name; the clock reaches 10:00 the day before, the customer
  gets the SMS, and it is on the message log and the customer's timeline.

Screenshots at 1280×800 and 390×844 (``$PEYVAND_SHOTS`` keeps them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, shots_dir

from kernel.db import utcnow
from kernel.jobs import run_due
from kernel.persian.jalali import format_jalali
from kernel.testing import actor_of, create_record, create_user
from kernel.timezone import local_today, to_utc
from modules.marketing.fake_panel import FakePanel, PanelState
from modules.marketing.testing import add_panel
from modules.marketing.tests.compose_helpers import SENDER, person
from modules.marketing.tests.sms_helpers import drain

pytestmark = pytest.mark.browser
RULES = ("marketing.date_rule.*",)


@pytest.fixture
def fake() -> Iterator[FakePanel]:
    panel = FakePanel(PanelState()).start()
    yield panel
    panel.stop()


@pytest.fixture
def live_server(make_kernel: Callable[..., Any], fake: FakePanel) -> Iterator[LiveServer]:
    kernel = make_kernel(edition="tier1", modules=("finance", "marketing"))
    create_user(kernel, "sara", perms=(*SENDER, *RULES, "base.communication.view", "finance.invoice.view"))
    add_panel(kernel, fake)
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="sara")


def test_a_range_of_100_and_its_delivery_states_arriving(browser: Any, live_server: LiveServer, fake: FakePanel,
                                                         tmp_path: Path) -> None:
    shots, kernel = shots_dir(tmp_path), live_server.kernel
    with open_page(browser, live_server.url) as page:
        sign_in(page, "sara")
        page.goto("/marketing/sms/new")
        page.get_by_label("بازه‌ای از شماره‌های همراه").check()
        page.fill("input[name=range_start]", "۰۹۱۲۱۱۱۱۲۰۰")
        page.fill("input[name=range_end]", "۰۹۱۲۱۱۱۱۲۹۹")
        page.select_option("select[name=category_id]", label="یادآوری پرداخت")
        page.fill("textarea[name=body]", "مشتری گرامی، قسط این ماه شما فردا سررسید می‌شود.")
        expect(page.locator("[data-sms-recipients]")).to_contain_text("۱۰۰ از ۱۰۰ گیرنده")
        page.get_by_role("button", name="ارسال پیام", exact=True).click()
        progress = page.locator("#send-progress")
        expect(progress.locator("[data-count=queued]")).to_have_text("۱۰۰")
        expect(page.locator('#send-recipients tr[data-state="queued"]')).to_have_count(100)
        page.screenshot(path=str(shots / "marketing-delivery-queued.png"), full_page=True)
        # The worker: the batch goes to the panel, then the delivery reports are fetched.
        clock = drain(kernel, start=utcnow() + dt.timedelta(minutes=1))
        run_due(kernel, now=clock + dt.timedelta(hours=1))
        assert len(fake.state.sends_per_mobile) == 100 and set(fake.state.sends_per_mobile.values()) == {1}
        # The page, left open, follows: the bar reaches 100 % and the states arrive.
        expect(progress.locator("[data-percent]")).to_have_text("۱۰۰", timeout=20_000)
        expect(progress.locator("[data-count=delivered]")).to_have_text("۹۰", timeout=20_000)
        expect(progress.locator("[data-count=failed]")).to_have_text("۱۰")
        expect(page.locator('#send-recipients tr[data-state="delivered"]')).to_have_count(90)
        failed = page.locator('#send-recipients tr[data-state="failed"]')
        expect(failed).to_have_count(10)
        expect(failed.first).to_contain_text("ناموفق")
        expect(failed.first).to_contain_text("۰۹۱۲ ۱۱۱ ۱۲۰۹")
        page.screenshot(path=str(shots / "marketing-delivery-arrived.png"), full_page=True)
    with open_page(browser, live_server.url, viewport=PHONE, is_mobile=True) as phone:
        sign_in(phone, "sara")
        phone.goto("/marketing/send/1")
        expect(phone.locator("#send-progress [data-count=delivered]")).to_have_text("۹۰")
        width = phone.evaluate("document.documentElement.scrollWidth")
        phone.screenshot(path=str(shots / "marketing-delivery-phone.png"), full_page=True)
        assert width <= PHONE["width"], f"the send's page is {width} px wide on a phone"


def test_one_day_before_the_departure_date_sent_by_the_clock(browser: Any, live_server: LiveServer, fake: FakePanel,
                                                             tmp_path: Path) -> None:
    from modules.finance.services import issuing

    shots, kernel = shots_dir(tmp_path), live_server.kernel
    tz = kernel.config.timezone
    today = local_today(tz)
    boss = actor_of(kernel, create_user(kernel, "boss", admin=True))
    ali = person(kernel, "علی", "رضایی", "+989121000001", gender="male")
    ticket = create_record(kernel, None, "finance.product", name="بلیت مشهد", code="TKT", kind="service",
                           price=40_000_000, tax_exempt=True)
    with kernel.session(boss) as s:  # a flight tomorrow (the invoice's end date), one next week
        for end in (today + dt.timedelta(days=1), today + dt.timedelta(days=7)):
            issuing.invoice_directly(kernel, s, boss, {"partner_id": ali, "date": today, "end_date": end},
                                     [{"product_id": ticket, "quantity": "1"}])
    with open_page(browser, live_server.url) as page:
        sign_in(page, "sara")
        page.goto("/marketing/date_rule/new")
        page.fill("input[name=name]", "یادآوری پرواز")
        # The date is chosen by its name among those the enabled modules declare.
        page.select_option("select[name=source]", label="تاریخ‌های پایان فاکتورها")
        page.fill("input[name=days_before]", "۱")
        page.select_option("select[name=category_id]", label="یادآوری پرداخت")
        page.fill("textarea[name=body]", "{name}، پرواز شما فردا است. سفر بخیر.")
        page.screenshot(path=str(shots / "marketing-date-rule-form.png"), full_page=True)
        page.get_by_role("button", name="ذخیره", exact=True).click()
        expect(page.locator("body")).to_contain_text("یادآوری پرواز")
        # The clock: 10:00 this morning, or now if later (the rules send from 08:00 local time,
        # never at night); the send's batch and the delivery reports a minute and an hour later.
        clock = max(utcnow(), to_utc(dt.datetime.combine(today, dt.time(10, 0)), tz))
        run_due(kernel, now=clock)
        clock = drain(kernel, start=clock + dt.timedelta(minutes=1))
        run_due(kernel, now=clock + dt.timedelta(hours=1))
        assert dict(fake.state.sends_per_mobile) == {"09121000001": 1}  # next week's flight waits
        page.goto("/marketing/message/")
        row = page.locator("tbody tr").first
        expect(row).to_contain_text("۰۹۱۲ ۱۰۰ ۰۰۰۱")
        expect(row).to_contain_text("رسیده")
        page.screenshot(path=str(shots / "marketing-date-rule-log.png"), full_page=True)
        page.goto(f"/base/partner/{ali}/profile")
        expect(page.locator("body")).to_contain_text("جناب آقای علی رضایی، پرواز شما فردا است")
        page.screenshot(path=str(shots / "marketing-date-rule-timeline.png"), full_page=True)
        tomorrow = format_jalali(today + dt.timedelta(days=1))
        assert kernel_labels(kernel) == [f"یادآوری پرواز — {tomorrow}"]
    with open_page(browser, live_server.url, viewport=PHONE, is_mobile=True) as phone:
        sign_in(phone, "sara")
        phone.goto("/marketing/date_rule/new")
        expect(phone.locator("select[name=source] option", has_text="تاریخ‌های پایان فاکتورها")).to_have_count(1)
        width = phone.evaluate("document.documentElement.scrollWidth")
        phone.screenshot(path=str(shots / "marketing-date-rule-form-phone.png"), full_page=True)
        assert width <= PHONE["width"], f"the rule's form is {width} px wide on a phone"


def kernel_labels(kernel: Any) -> list[str]:
    """The sends' labels: a rule's send says its rule and the date it was about."""
    from sqlalchemy import select

    from modules.marketing.models import Send

    with kernel.sessions() as s:
        return [label or "" for label in s.scalars(select(Send.audience_label))]
