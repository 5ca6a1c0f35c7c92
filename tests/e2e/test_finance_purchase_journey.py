"""A purchase invoice in Chromium (FIN-18, FIN-14): its lines typed with the keyboard (Tab between
fields, Enter sends), posted, paid in part; the profit report shows the cost at the average; the
work page and the report fit a phone (390 px) with their main action tappable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, check, shots_dir

from modules.finance.tests.purchase_helpers import buy, purchase_world, sell

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    kernel = make_kernel(edition="tier3")
    w = purchase_world(kernel)
    today = dt.date.today()
    buy(kernel, w, [(w["carpet"], "10", 1_000_000)], on=today)
    sell(kernel, w, [(w["carpet"], "4", 2_000_000), (w["rug"], "1", 5_000)], on=today)
    buy(kernel, w, [], on=today, post=False)  # the draft typed in the journey (purchase 2)
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="sara")


def test_a_purchase_typed_posted_paid_and_the_profit_report(browser: Any, live_server: LiveServer,
                                                            tmp_path: Path) -> None:
    shots = shots_dir(tmp_path)
    with open_page(browser, live_server.url) as page:
        sign_in(page, "sara")
        page.goto("/finance/purchase/2")
        page.locator(".finance-purchase-link a").click()
        page.locator("#purchase-add select[name=product_id]").select_option(label="فرش ۷۰۰ شانه")
        page.keyboard.press("Tab")
        page.keyboard.type("۱۰")
        page.keyboard.press("Tab")
        page.keyboard.type("ده")  # letters in the cost: refused beside the field
        page.keyboard.press("Enter")
        expect(page.locator("[data-error-for=unit_cost]")).to_be_visible()
        page.fill("#purchase-add input[name=unit_cost]", "۱٬۳۰۰٬۰۰۰")
        page.locator("#purchase-add input[name=unit_cost]").press("Enter")
        expect(page.locator(".finance-purchase-lines tbody tr")).to_have_count(1)
        page.screenshot(path=str(shots / "finance-purchase-draft.png"), full_page=True)
        page.locator("form[action$='/post'] button").click()
        expect(page.locator("#purchase-pay")).to_be_visible()
        page.fill("#purchase-pay input[name=amount]", "۵٬۰۰۰٬۰۰۰")
        page.locator("#purchase-pay button.primary").click()
        expect(page.locator(".finance-purchase-payments tbody tr")).to_have_count(1)
        page.screenshot(path=str(shots / "finance-purchase.png"), full_page=True)
        page.goto("/finance/purchase/2")
        expect(page.locator(".finance-purchase-link")).to_contain_text("۹٬۳۰۰٬۰۰۰")  # open after 5,000,000 paid
        page.screenshot(path=str(shots / "finance-purchase-record.png"), full_page=True)
        page.goto("/reports/finance.profit_per_product")
        expect(page.locator("main")).to_contain_text("هزینه نامعلوم")
        expect(page.locator("main")).to_contain_text("۴٬۰۰۰٬۰۰۰")  # cost of 4 carpets at 1,000,000
        page.screenshot(path=str(shots / "finance-profit-report.png"), full_page=True)
    with open_page(browser, live_server.url, viewport=PHONE, has_touch=True, is_mobile=True,
                   device_scale_factor=1) as phone:
        sign_in(phone, "sara")
        check(phone, "/finance/purchase/1/work", "#purchase-pay button.primary", shots, "finance-purchase-phone")
        check(phone, "/finance/purchase/new", "form.record-form button[type=submit]", shots,
              "finance-purchase-form-phone")
        check(phone, "/reports/finance.profit_per_product", "main h1", shots, "finance-profit-report-phone")
