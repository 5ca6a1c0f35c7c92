"""Composing SMS in Chromium, in Persian (issue 13's journeys): try to send to a company and read
why not; compose to a range of 100 mobiles and see the recipient count and the parts while
typing, then the send's page with its progress bar and recipients; schedule a send at a Jalali
date and time. On a desktop and on a 390 px phone (nothing wider than the screen). Screenshots go
to ``$PEYVAND_SHOTS`` (else the test's temporary folder). The delivery states arriving from the
fake panel are the sending pipe's part of this journey."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, shots_dir

from kernel.persian.jalali import format_jalali
from kernel.timezone import local_today

pytestmark = pytest.mark.browser
TEXT = "مشتری گرامی، حراج پاییزه از فردا آغاز می‌شود. تا پنجاه درصد تخفیف روی همهٔ کالاها. فروشگاه پیوند"


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    from modules.marketing.tests.compose_helpers import company, marketing_kernel, sender

    kernel = marketing_kernel(make_kernel)
    sender(kernel, "sara")
    company(kernel, "صنایع البرز", "+989121000003")
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="sara")


def company_id(kernel: Any) -> int:
    from sqlalchemy import select

    from modules.base.models import Partner

    with kernel.sessions() as s:
        return int(s.scalars(select(Partner.id).where(Partner.kind == "company")).one())


def compose_range(page: Any, start: str, end: str, text: str, category: str = "") -> None:
    """The New SMS page with a range of mobiles, a category (when given) and a text."""
    page.goto("/marketing/sms/new")
    page.get_by_label("بازه‌ای از شماره‌های همراه").check()
    page.fill("input[name=range_start]", start)
    page.fill("input[name=range_end]", end)
    if category:
        page.select_option("select[name=category_id]", label=category)
    page.fill("textarea[name=body]", text)


def test_compose_to_a_company_a_range_and_a_schedule(browser: Any, live_server: LiveServer, tmp_path: Path) -> None:
    shots = shots_dir(tmp_path)
    with open_page(browser, live_server.url) as page:
        sign_in(page, "sara")
        # A company: refused, with the reason and the way out, before and after pressing Send.
        page.goto(f"/marketing/sms/new?partner_id={company_id(live_server.kernel)}")
        page.select_option("select[name=category_id]", label="یادآوری پرداخت")
        page.fill("textarea[name=body]", "یادآوری پرداخت قسط")
        reason = "«صنایع البرز» شرکت است و پیامک برای اشخاص فرستاده می‌شود"
        expect(page.locator("[data-sms-recipients]")).to_contain_text(reason)
        page.get_by_role("button", name="ارسال پیام", exact=True).click()
        expect(page.locator("[data-error-for=partner_id]")).to_contain_text(reason)
        page.screenshot(path=str(shots / "marketing-compose-company.png"), full_page=True)
        # A range of 100 mobiles typed in Persian digits: 100 recipients, 2 parts each.
        compose_range(page, "۰۹۱۲۱۱۱۱۲۰۰", "۰۹۱۲۱۱۱۱۲۹۹", TEXT, "تبلیغات — تبلیغاتی")
        expect(page.locator("[data-sms-parts]")).to_have_text("۹۶ نویسه، ۲ بخش")
        expect(page.locator("[data-sms-recipients]")).to_have_text("۱۰۰ از ۱۰۰ گیرنده، ۲۰۰ بخش پیامک")
        page.screenshot(path=str(shots / "marketing-compose-range.png"), full_page=True)
        page.get_by_role("button", name="ارسال پیام", exact=True).click()
        expect(page.locator("#send-progress progress")).to_be_visible()
        expect(page.locator("#send-progress [data-count=total]")).to_have_text("۱۰۰")
        expect(page.locator("#send-recipients tbody tr")).to_have_count(100)
        page.screenshot(path=str(shots / "marketing-send-page.png"), full_page=True)
        # A send at a Jalali date and time.
        compose_range(page, "09121111200", "09121111209", "جلسهٔ فردا ساعت ۱۰", "یادآوری پرداخت")
        page.get_by_label("در تاریخ و ساعت معین").check()
        page.fill("input[name=send_date]", format_jalali(local_today() + dt.timedelta(days=2)))
        page.fill("input[name=send_time]", "۰۹:۳۰")
        page.get_by_role("button", name="ارسال پیام", exact=True).click()
        expect(page.locator("#send-progress")).to_contain_text("زمان‌بندی‌شده برای")
    with open_page(browser, live_server.url, viewport=PHONE, is_mobile=True) as phone:
        sign_in(phone, "sara")
        compose_range(phone, "09121111200", "09121111299", TEXT)
        expect(phone.locator("[data-sms-parts]")).to_have_text("۹۶ نویسه، ۲ بخش")
        for name, path in (("marketing-compose-phone.png", None), ("marketing-send-phone.png", "/marketing/send/1"),
                           ("marketing-log-phone.png", "/marketing/message/")):
            if path:
                phone.goto(path)
            width = phone.evaluate("document.documentElement.scrollWidth")
            phone.screenshot(path=str(shots / name), full_page=True)
            assert width <= PHONE["width"], f"{name}: the page is {width} px wide on a {PHONE['width']} px screen"
