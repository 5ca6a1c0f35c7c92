"""A product with a quantity tier made through the forms, a proforma that sells above the tier,
its PDF opened from the print menu on the proforma's page (Chromium's PDF viewer; the same bytes
fetched in the page's session) and read back — the Persian words of the total, the Jalali date,
Persian digits — and F4 on a row of the proforma list setting tomorrow's follow-up, which
then rings in the work queue (tier 4: finance with tasks). Issue 11's browser journeys, in
Chromium, with no mocks: the real app under uvicorn, WeasyPrint, poppler's pdftotext."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from finance_steps import follow_up_tomorrow, rings_in_the_work_queue, tier4_with_a_customer, type_line
from playwright.sync_api import expect
from sqlalchemy import select
from test_phone_pages import shots_dir

from kernel.persian.jalali import format_jalali
from kernel.persian.textnorm import to_persian_digits
from kernel.persian.words import amount_in_words
from kernel.testing import pdf_text
from kernel.timezone import local_today

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    kernel, _ = tier4_with_a_customer(make_kernel)
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="sara")


def _product_with_a_tier(page: Any, url: str) -> None:
    """FAQ 18 through the forms: a rug at 10,000,000 Rials, "more than 10: 9,000,000 each"."""
    page.goto("/finance/product/new")
    page.fill("#f-name", "گلیم دستباف قشقایی")
    page.fill("#f-code", "GL-۹")
    page.select_option("#f-kind", "goods")
    page.fill("#f-unit", "تخته")
    page.fill("#f-price", "۱۰٬۰۰۰٬۰۰۰")
    page.locator("form.record-form button[type=submit]").click()
    expect(page).to_have_url(f"{url}/finance/product/1")
    expect(page.locator("main")).to_contain_text("گلیم دستباف قشقایی")
    # "+ New quantity tier" under the product: the product is already chosen on the form.
    page.locator("main a[href^='/finance/price_tier/new']").click()
    expect(page.locator("#f-product_id")).to_have_value("1")
    page.fill("#f-above_quantity", "۱۰")
    page.fill("#f-unit_price", "نه میلیون")  # letters: refused on the field, nothing saved
    page.locator("form.record-form button[type=submit]").click()
    expect(page.locator("form.record-form .error").first).to_be_visible()
    page.fill("#f-unit_price", "۹٬۰۰۰٬۰۰۰")
    page.locator("form.record-form button[type=submit]").click()
    expect(page).to_have_url(f"{url}/finance/product/1")
    expect(page.locator("main")).to_contain_text("بیش از ۱۰ واحد: هر واحد ۹٬۰۰۰٬۰۰۰ ریال")


def test_a_tiered_product_sold_printed_and_followed_up_from_the_list(browser: Any, live_server: LiveServer,
                                                                      tmp_path: Path) -> None:
    k, url = live_server.kernel, live_server.url
    shots = shots_dir(tmp_path)
    today = local_today(k.config.timezone)
    with open_page(browser, url) as page:
        sign_in(page, "sara")
        _product_with_a_tier(page, url)
        page.screenshot(path=str(shots / "finance-product-tier.png"), full_page=True)
        from modules.finance.models import PriceTier, Product

        with k.sessions() as s:  # the refused tier left nothing; the code typed «GL-۹» is GL-9
            assert [(t.above_quantity, t.unit_price) for t in s.scalars(select(PriceTier))] == [(10, 9_000_000)]
            assert s.get(Product, 1).code == "GL-9"
        # A proforma of twelve rugs, typed in the line editor: the tier's price applies.
        page.goto(f"/finance/proforma/new?partner_id={k.test_customer}&next=/finance/proforma/%7Bid%7D/lines")
        page.fill("input[name=date]", format_jalali(today, "fa"))
        page.locator("form.record-form button[type=submit]").click()
        expect(page).to_have_url(f"{url}/finance/proforma/1/lines")
        page.locator(".ed-new [name=product_label]").focus()
        type_line(page, "گلیم", "۱۲")
        row = page.locator(".ed-row[data-line]")
        expect(row).to_have_count(1)
        expect(row.first.locator("[name=unit_price]")).to_have_value("۹٬۰۰۰٬۰۰۰")
        expect(row.first).to_contain_text("بیش از ۱۰ واحد")
        # Issue it from its page: it takes its number.
        page.goto("/finance/proforma/1")
        page.locator("#document-lines form[action$='/issue'] button").click()
        expect(page.locator("main h1")).to_contain_text("PF-۱۴")
        from modules.finance.models import Proforma

        with k.sessions() as s:
            doc = s.get(Proforma, 1)
            number, grand = doc.number, doc.grand_total
        assert grand == 12 * 9_000_000 * 110 // 100  # the tier's price and 10 % VAT
        # Print: the customer's copy on A4, downloaded by the browser from the page's print menu.
        page.locator("#document-print summary").click()
        link = page.locator("#document-print a[href*='format=customer'][href*='paper=A4']")
        with page.context.expect_page(timeout=20_000) as opened:  # WeasyPrint takes a moment
            link.click()
        viewer = opened.value
        expect(viewer).to_have_url(f"{url}/finance/proforma/1/print.pdf?format=customer&paper=A4")
        # Chromium shows it in its PDF viewer; the same URL fetched in the page's session (its
        # cookies) gives the bytes the viewer shows.
        got = page.context.request.get(viewer.url)
        assert got.headers["content-type"] == "application/pdf"
        assert got.headers["content-disposition"].startswith("inline;")
        pdf = got.body()
        viewer.close()
        text = "\n".join(pdf_text(pdf)).replace("\u200c", "")
        shown = to_persian_digits(number)  # PF-۱۴۰۵-۰۰۰۰۱
        for wanted in (amount_in_words(grand, "rial", "fa"), "صد و هجده میلیون و هشتصد هزار ریال",
                       format_jalali(today, "fa"), shown,
                       "۱۱۸٬۸۰۰٬۰۰۰", "۹٬۰۰۰٬۰۰۰", "فرش کاشان", "گلیم دستباف قشقایی"):
            assert wanted.replace("\u200c", "") in text, (wanted, text)
        assert "118,800,000" not in text and "118800000" not in text  # Persian digits only
        # F4 on a row of the proforma list: the row clicked (not its link), then the key.
        page.goto("/finance/proforma/")
        first_row = page.locator("tr[data-href='/finance/proforma/1']")
        first_row.locator("td").nth(3).click()  # the customer's cell
        expect(first_row).to_be_focused()
        page.keyboard.press("F4")
        tomorrow = follow_up_tomorrow(page, k, url, 1, "پیش‌فاکتور را دید؛ فردا تماس بگیرم", dt.time(11, 0))
        # Tomorrow at 11:01 the reminder rings: it is in Sara's work queue, under its number.
        rings_in_the_work_queue(page, k, tomorrow, dt.time(11, 0), shown)
        page.screenshot(path=str(shots / "finance-follow-up-from-list-kartable.png"), full_page=True)
