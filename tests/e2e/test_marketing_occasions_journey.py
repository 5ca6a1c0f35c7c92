"""Occasion messages in Chromium, in Persian (issue 13's journey): a person whose Jalali birthday
is today gets a birthday SMS. The user writes the rule, the occasions job runs (the worker's
``run_due``, in this process), the pending batch is previewed with its filled text and approved;
the message is delivered by the local fake panel and shows in the message log and on the
person's timeline. The yearly calendar on a desktop and a 390 px phone (nothing wider than the
screen). Screenshots go to ``$PEYVAND_SHOTS`` (else the test's temporary folder)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, shots_dir

from kernel import utcnow
from kernel.jobs import run_due
from kernel.persian.jalali import jalali_to_date, to_jalali
from kernel.timezone import local_today
from modules.marketing.fake_panel import FakePanel, PanelState
from modules.marketing.testing import add_panel

pytestmark = pytest.mark.browser
TEXT = "{name}، زادروزتان خجسته باد. فروشگاه پیوند"
GREETED = "سرکار خانم مریم احمدی، زادروزتان خجسته باد. فروشگاه پیوند"


@pytest.fixture
def fake() -> Iterator[FakePanel]:
    panel = FakePanel(PanelState()).start()
    yield panel
    panel.stop()


@pytest.fixture
def live_server(make_kernel: Callable[..., Any], fake: FakePanel) -> Iterator[LiveServer]:
    from modules.marketing.tests.compose_helpers import marketing_kernel, person
    from modules.marketing.tests.occasions_helpers import manager

    kernel = marketing_kernel(make_kernel)
    add_panel(kernel, fake)
    manager(kernel, "nasrin", perms=("marketing.occasion_rule.*", "marketing.occasion.approve", "marketing.send.view",
                                     "marketing.message.view", "marketing.category.view", "marketing.template.view",
                                     "marketing.sms.send", "base.partner.view", "base.communication.view"))
    today = to_jalali(local_today(kernel.config.timezone))
    person(kernel, "مریم", "احمدی", "+989121000001", gender="female",
           birthday=jalali_to_date(1403, today.month, today.day))  # 1403 has every month's last day
    person(kernel, "علی", "رضایی", "+989121000002", birthday=jalali_to_date(1360, 1, 1) if today.month != 1
           else jalali_to_date(1360, 7, 1))  # not today
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="nasrin")


def no_wider(page: Any, name: str, shots: Path) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(shots / name), full_page=True)
    assert width <= PHONE["width"], f"{name}: the page is {width} px wide on a {PHONE['width']} px screen"


def test_a_birthday_today_gets_an_sms_after_approval(browser: Any, live_server: LiveServer, fake: FakePanel,
                                                      tmp_path: Path) -> None:
    shots = shots_dir(tmp_path)
    kernel = live_server.kernel
    with open_page(browser, live_server.url) as page:
        sign_in(page, "nasrin")
        page.goto("/marketing/occasion_rule/new")
        page.fill("#f-name", "تبریک زادروز مشتریان")
        page.fill("#f-occasion", "birthday")
        page.fill("#f-days_before", "۰")
        page.fill("#f-send_hour", "۰")  # from midnight: the job sends whenever the test runs
        page.select_option("#f-category_id", label="تبریک")
        page.fill("#f-body", TEXT)
        page.check("#f-active")
        page.click("form.record-form button[type=submit]")
        expect(page.locator("dl.record")).to_contain_text("تبریک زادروز مشتریان")

        run_due(kernel, now=utcnow())  # the worker: the occasions job makes today's batch
        page.goto("/marketing/occasions/pending")
        page.locator("[data-pending] a").click()
        expect(page.locator("[data-count=to_send]")).to_have_text("۱")
        expect(page.locator("#batch-texts")).to_contain_text(GREETED)
        page.screenshot(path=str(shots / "marketing-occasions-preview.png"), full_page=True)
        page.get_by_role("button", name="تأیید و ارسال").click()
        expect(page.locator("#send-progress")).to_be_visible()

        run_due(kernel, now=utcnow())  # the SMS job hands it to the fake panel
        run_due(kernel, now=utcnow() + dt.timedelta(minutes=2))  # and polls its delivery report
        assert fake.state.sends_per_mobile == {"09121000001": 1}
        page.goto("/marketing/message/")
        expect(page.locator("table")).to_contain_text("رسیده")  # the state "delivered"
        page.screenshot(path=str(shots / "marketing-occasions-log.png"), full_page=True)
        from sqlalchemy import select

        from modules.base.models import Partner

        with kernel.sessions() as s:
            maryam = s.scalars(select(Partner.id).where(Partner.first_name == "مریم")).one()
        page.goto(f"/base/partner/{maryam}/profile")
        expect(page.locator("body")).to_contain_text(GREETED)
        page.get_by_role("link", name=GREETED).click()  # the communication: its delivery state
        expect(page.locator("body")).to_contain_text("پیامک به گیرنده رسید")
        page.goto("/marketing/occasions/calendar")
        expect(page.locator(".oc-today")).to_contain_text("تبریک زادروز مشتریان")
        page.screenshot(path=str(shots / "marketing-occasions-calendar.png"), full_page=True)

    with open_page(browser, live_server.url, viewport=PHONE, is_mobile=True) as phone:
        sign_in(phone, "nasrin")
        phone.goto("/marketing/occasions/calendar")
        expect(phone.locator(".oc-month")).to_have_count(12)
        no_wider(phone, "marketing-occasions-calendar-phone.png", shots)
        phone.goto("/marketing/send/1")
        no_wider(phone, "marketing-occasions-send-phone.png", shots)
        phone.goto("/marketing/occasions/batch/1")
        no_wider(phone, "marketing-occasions-preview-phone.png", shots)
