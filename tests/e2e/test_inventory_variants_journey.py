"""INV-03 in Chromium, in Persian: a carpet with 3 sizes × 2 colours; a keeper posts a receipt of
some variants from the document's page, then reads the product's stock — per warehouse, and a
matrix of sizes by colours, each cell its variant's stock and a link to it — on a desktop and on
a 390 px phone, where the page does not scroll sideways."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, shots_dir

from kernel.actor import SYSTEM
from kernel.testing import create_record
from modules.finance.services.catalogue import generate_variants
from modules.inventory.tests import inventory_helpers as h

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    k = make_kernel(edition="tier5")
    k.w = h.world(k)
    size = create_record(k, None, "finance.attribute", name="اندازه", kind="size", sequence=1)
    colour = create_record(k, None, "finance.attribute", name="رنگ", kind="colour", sequence=2)
    values = [create_record(k, None, "finance.attribute_value", attribute_id=size, name=n, sequence=i)
              for i, n in enumerate(("۶ متری", "۹ متری", "۱۲ متری"))]
    values += [create_record(k, None, "finance.attribute_value", attribute_id=colour, name=n, sequence=i)
               for i, n in enumerate(("کرم", "لاکی"))]
    k.rug = create_record(k, None, "finance.product", name="فرش کاشان", kind="goods", price=45_000_000)
    with k.session() as s:
        k.variants = generate_variants(k, s, SYSTEM, k.rug, values).created
    # 6 m cream 4, 9 m red 7, 12 m red 2 into the central warehouse, 3 more of 9 m red in the shop.
    k.receipt = h.draft(k, "receipt", k.w["central"], [(k.variants[0], "4", 30_000_000, None),
                                                      (k.variants[3], "7", 42_000_000, None),
                                                      (k.variants[5], "2", 58_000_000, None)])
    h.post(k, k.w, h.draft(k, "receipt", k.w["shop"], [(k.variants[3], "3", 42_000_000, None)]))
    with serving(k) as url:
        yield LiveServer(url=url, kernel=k, username="nasrin")


def test_a_carpet_with_sizes_and_colours_shows_its_stock_per_variant(browser: Any, live_server: LiveServer,
                                                                     tmp_path: Path) -> None:
    k = live_server.kernel
    shots = shots_dir(tmp_path)
    with open_page(browser, live_server.url) as page:
        sign_in(page, "nasrin")
        page.goto(f"/inventory/document/{k.receipt}")
        page.get_by_role("link", name="ثبت سند").click()
        page.get_by_role("button", name="ثبت سند").click()
        expect(page.locator("main")).to_contain_text("RCV-۱۴۰۵-۰۰۰۰۲")
        page.goto(f"/finance/product/{k.rug}")
        panel = page.locator("[data-inventory-stock]")
        expect(panel.locator("tfoot")).to_contain_text("۱۶")  # 4 + 7 + 2 + 3 in both warehouses
        matrix = panel.locator("table.inventory-matrix")
        expect(matrix.locator("thead th")).to_have_text(["اندازه × رنگ", "کرم", "لاکی"])
        expect(matrix.locator("tbody tr")).to_have_count(3)
        expect(matrix.locator("tbody tr").nth(1)).to_contain_text("۹ متری")
        expect(matrix.locator("tbody tr").nth(1).locator("td").nth(1)).to_have_text("۱۰")
        panel.screenshot(path=str(shots / "inventory-variants.png"))
        matrix.locator("tbody tr").nth(2).locator("td").nth(1).locator("a").click()
        expect(page).to_have_url(f"{live_server.url}/finance/product/{k.variants[5]}")
        expect(page.locator("[data-inventory-stock] tfoot")).to_contain_text("۲")
    with open_page(browser, live_server.url, viewport=PHONE, is_mobile=True, has_touch=True) as phone:
        sign_in(phone, "nasrin")
        phone.goto(f"/inventory/product/{k.rug}")
        expect(phone.locator("table.inventory-matrix tbody tr")).to_have_count(3)
        width = phone.evaluate("document.documentElement.scrollWidth")
        phone.screenshot(path=str(shots / "inventory-variants-phone.png"), full_page=True)
        assert width <= PHONE["width"], f"the product's stock is {width} px wide on a phone"
