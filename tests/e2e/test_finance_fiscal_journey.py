"""Closing the fiscal year in Chromium, in Persian (issue 12's journey: "close the fiscal year and
see the open instalment in the new year"), on a desktop and on a 390 px phone: the page shows the
year to close, the close is pressed, the new year lists its next numbers, its opening balances
(what the customers owed us and what we owed a supplier) and the carried instalment; on a phone nothing overflows and the buttons can be tapped. Screenshots go
to ``$PEYVAND_SHOTS`` (else the test's temporary folder)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, shots_dir

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    from modules.finance.tests.finance_helpers import jdate
    from modules.finance.tests.fiscal_helpers import fiscal_world, purchase_on

    kernel = make_kernel(edition="tier3")
    w = fiscal_world(kernel)  # 1404: open invoices, a plan with two unpaid instalments, a cheque, a proforma
    purchase_on(kernel, w, w["supplier"], jdate(1404, 11, 5), 2_500_000)  # and a purchase not paid yet
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="boss")


def test_close_the_year_and_see_the_open_instalment(browser: Any, live_server: LiveServer, tmp_path: Path) -> None:
    shots = shots_dir(tmp_path)
    with open_page(browser, live_server.url) as page:
        sign_in(page, "boss")
        page.on("dialog", lambda dialog: dialog.accept())  # "Close the fiscal year 1404?": yes
        page.goto("/finance/fiscal-year")
        close = page.get_by_role("button", name="بستن سال مالی ۱۴۰۴")
        expect(page.get_by_text("چیزی جلوی بستن سال ۱۴۰۴ را نمی‌گیرد.")).to_be_visible()
        page.screenshot(path=str(shots / "finance-fiscal-year-before.png"), full_page=True)
        close.click()
        expect(page.get_by_role("heading", name="سال نو ۱۴۰۵")).to_be_visible()
        carried = page.locator("details.finance-fiscal-carry", has_text="قسط پرداخت‌نشده")
        expect(carried).to_contain_text("INV-۱۴۰۴-۰۰۰۰۲")
        expect(carried).to_contain_text("ونک تجارت")
        expect(page.locator(".finance-fiscal-numbers")).to_contain_text("INV-۱۴۰۵-۰۰۰۰۱")
        expect(page.locator(".finance-fiscal-openings")).to_contain_text("گز اصفهان")
        expect(page.locator(".finance-fiscal-suppliers")).to_contain_text("نخ‌ریسی یزد")
        expect(page.locator(".finance-fiscal-suppliers")).to_contain_text("۲٬۵۰۰٬۰۰۰")
        page.screenshot(path=str(shots / "finance-fiscal-year.png"), full_page=True)
    with open_page(browser, live_server.url, viewport=PHONE, is_mobile=True) as phone:
        sign_in(phone, "boss")
        phone.goto("/finance/fiscal-year")
        width = phone.evaluate("document.documentElement.scrollWidth")
        phone.screenshot(path=str(shots / "finance-fiscal-year-phone.png"), full_page=True)
        assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px screen"
        undo = phone.get_by_role("button", name="برگرداندن بستن سال ۱۴۰۴")
        expect(undo).to_be_visible()
        undo.click(trial=True)
