"""INV-01 in Chromium, in Persian: with the policy on (``refuse``, the default) an invoice of two
carpets when one is in stock is refused on its page — the message names the carpet, the
warehouse and what is available, and the invoice stays a draft without a number; a goods receipt
brings two more, the same invoice is issued with the first number, its page lists the issue it
made, and the carpet's stock is one. Screenshots at 1280×800 and 390×844 (``$PEYVAND_SHOTS``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, shots_dir

from kernel.persian.textnorm import to_persian_digits
from kernel.testing import actor_of, create_record, create_user
from kernel.timezone import local_today

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    from modules.finance.services import drafts
    from modules.finance.services.documents import INVOICE
    from modules.inventory.tests.policy_helpers import receive

    kernel = make_kernel(edition="tier3", modules=("inventory",))
    sara = create_user(kernel, "sara", perms=("finance.*", "base.partner.*"))
    create_user(kernel, "maryam", perms=("inventory.settings.edit", "inventory.invoice.deliver", "finance.invoice.view",
                                         "finance.product.view"))
    customer = create_record(kernel, sara, "base.partner", kind="company", name="فرش کاشان")
    kernel.carpet = create_record(kernel, sara, "finance.product", name="فرش ۷۰۰ شانه", price=12_500_000)
    setup = create_record(kernel, sara, "finance.product", name="نصب", kind="service", price=1_500_000)
    receive(kernel, kernel.carpet, "1")
    actor = actor_of(kernel, sara)
    with kernel.session(actor) as s:
        kernel.invoice = drafts.create_document(kernel, s, actor, INVOICE, {
            "partner_id": customer, "date": local_today(kernel.config.timezone)},
            [{"product_id": kernel.carpet, "quantity": "2"}, {"product_id": setup, "quantity": "1"}]).id
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="sara")


def test_an_invoice_refused_without_stock_then_issued_after_a_receipt(browser: Any, live_server: LiveServer,
                                                                       tmp_path: Path) -> None:
    from modules.finance.models import Invoice
    from modules.inventory.tests.policy_helpers import on_hand, receive

    k = live_server.kernel
    shots = shots_dir(tmp_path)
    with open_page(browser, live_server.url) as page:
        sign_in(page, "sara")
        page.goto(f"/finance/invoice/{k.invoice}")
        page.get_by_role("button", name="صدور", exact=True).click()
        expect(page.locator("[data-flash]")).to_have_text(
            "موجودی فرش ۷۰۰ شانه در انبار مرکزی کافی نیست: ۲ خواسته شده، ۱ موجود است")
        expect(page.get_by_role("button", name="صدور", exact=True)).to_be_visible()  # still a draft
        page.screenshot(path=str(shots / "inventory-invoice-refused.png"), full_page=True)
        with k.sessions() as s:
            assert s.get(Invoice, k.invoice).number is None and s.get(Invoice, k.invoice).state == "draft"
        receive(k, k.carpet, "2")  # the storekeeper's receipt (drafts and posting, as its page does)
        page.reload()
        page.get_by_role("button", name="صدور", exact=True).click()
        expect(page.locator("main")).to_contain_text("INV-")
        stock = page.locator(".inventory-invoice-stock")
        expect(stock).to_contain_text("حوالهٔ خروج")
        expect(stock.locator("bdi")).to_have_text(to_persian_digits(f"ISS-{_year(k)}-00001"))
        page.screenshot(path=str(shots / "inventory-invoice-issued.png"), full_page=True)
    assert on_hand(k, k.carpet) == (1, 0)
    with k.sessions() as s:
        assert s.get(Invoice, k.invoice).number.endswith("-00001")
    with open_page(browser, live_server.url, viewport=PHONE, is_mobile=True, has_touch=True) as phone:
        sign_in(phone, "sara")
        phone.goto(f"/finance/invoice/{k.invoice}")
        expect(phone.locator(".inventory-invoice-stock")).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(shots / "inventory-invoice-390.png"), full_page=True)
    with open_page(browser, live_server.url, viewport=PHONE, is_mobile=True, has_touch=True) as phone:
        sign_in(phone, "maryam")
        phone.goto("/inventory/settings")
        expect(phone.locator("input[value=refuse]")).to_be_checked()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(shots / "inventory-settings-390.png"), full_page=True)


def _year(k: Any) -> str:
    from kernel.persian.jalali import to_jalali

    return str(to_jalali(local_today(k.config.timezone)).year)
