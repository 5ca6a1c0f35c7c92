"""Issue 15's add-on journey in Chromium, in Persian: a tier 3 shop in use (a purchase, two
invoices) gets inventory as an add-on. Before, nobody sees a warehouse; after the upgrade every
invoice is still listed, the «انبار» menu is there, the manager brings the opening balance in from
the settings page once, and the carpet's page shows its stock in the default warehouse — on a
desktop and on a 390-pixel-wide phone. Screenshots in ``$PEYVAND_SHOTS``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, shots_dir

from kernel.testing import create_user

pytestmark = pytest.mark.browser

MANAGER = ("finance.invoice.view", "finance.product.view", "inventory.settings.edit", "inventory.stock.view",
           "inventory.document.view", "inventory.warehouse.view")


def test_inventory_added_to_a_live_tier3_shop_keeps_its_invoices_and_brings_stock_in(
        browser: Any, make_kernel: Callable[..., Any], tmp_path: Path) -> None:
    from modules.finance.tests.purchase_helpers import buy, purchase_world, sell

    shots = shots_dir(tmp_path)
    k3 = make_kernel(edition="tier3")
    w = purchase_world(k3)
    buy(k3, w, [(w["carpet"], "10", 1_000)])
    sell(k3, w, [(w["carpet"], "2", 2_000)])
    sell(k3, w, [(w["carpet"], "1", 2_000)])
    create_user(k3, "maryam", perms=MANAGER)
    with serving(k3) as url, open_page(browser, url) as page:
        sign_in(page, "maryam")
        page.goto("/finance/invoice/")
        expect(page.locator("table tbody tr")).to_have_count(2)
        expect(page.locator("nav").get_by_text("انبار", exact=True)).to_have_count(0)

    k = make_kernel(same_database_as=k3, edition="tier3", modules=("inventory",))  # the add-on, migrated
    with serving(k) as url:
        with open_page(browser, url) as page:
            sign_in(page, "maryam")
            page.goto("/finance/invoice/")
            expect(page.locator("table tbody tr")).to_have_count(2)  # every invoice kept
            expect(page.locator("nav").get_by_text("انبار", exact=True).first).to_be_attached()
            page.goto("/inventory/settings")
            page.get_by_role("button", name="ثبت موجودی اول دوره").click()
            expect(page.get_by_role("button", name="ثبت موجودی اول دوره")).to_have_count(0)  # once only
            page.goto(f"/finance/product/{w['carpet']}")
            panel = page.locator("[data-inventory-stock]")
            expect(panel).to_contain_text("انبار مرکزی")
            expect(panel).to_contain_text("۷")  # 10 bought, 3 sold before inventory came
            page.screenshot(path=str(shots / "inventory-add-on-desktop.png"), full_page=True)
        with open_page(browser, url, viewport=PHONE, is_mobile=True, has_touch=True) as phone:
            sign_in(phone, "maryam")
            phone.goto(f"/finance/product/{w['carpet']}")
            expect(phone.locator("[data-inventory-stock]")).to_contain_text("۷")
            assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
            phone.screenshot(path=str(shots / "inventory-add-on-phone.png"), full_page=True)
