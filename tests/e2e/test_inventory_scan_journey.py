"""INV-01 in Chromium, in Persian: a goods receipt made by scanning — a keyboard-wedge scanner types
barcodes into «کد را اسکن یا وارد کنید» (the first starts the draft, the next add lines without a
reload, one on a PC whose keyboard layout is Persian), a code of no product is refused in place,
the receipt is posted and the stock shown per line — at 1280 px with a carpet in 3 sizes × 2 colours
received per variant and a phone's serial numbers scanned into its line, and at 390 px. The phone's camera (Chromium's fake camera playing a video of
an EAN-13 barcode) adds the line, once while the code stays in view."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import CHROMIUM_FLAGS, LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from sqlalchemy import select
from test_phone_pages import PHONE, shots_dir
from wedge import wedge

from kernel.persian.numbers import format_code
from modules.inventory.models import InventoryItem, StockDocumentLine
from modules.inventory.services import drafts
from modules.inventory.tests.barcode_video import write_y4m
from modules.inventory.tests.editor_helpers import carpet, ean13, inventory_kernel, product, storekeeper

pytestmark = pytest.mark.browser

TEA = ean13("626123456789")
PHONE_BARCODE = ean13("626555000001")


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    kernel = inventory_kernel(make_kernel)
    kernel.keeper = storekeeper(kernel)
    kernel.tea = product(kernel, "چای ممتاز", "TEA-1", TEA)
    kernel.carpet, kernel.variants = carpet(kernel)
    kernel.phone = product(kernel, "گوشی همراه", "PH-1", PHONE_BARCODE)
    with kernel.session() as s:
        s.add(InventoryItem(product_id=kernel.phone, tracks_serials=True))
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="anbardar")


def fits(page: Any, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: {width} px wide"


def rows(page: Any) -> Any:
    return page.locator("#inv-lines tbody tr")


def row(page: Any, name: str) -> Any:
    return rows(page).filter(has=page.locator(".inv-product", has_text=name))


def scan_wait(page: Any, code: str, count: int, layout: str = "us") -> None:
    """A wedge scan, then the lines show ``count`` rows (added by the script, not a reload)."""
    wedge(page, code, layout=layout)
    expect(rows(page)).to_have_count(count)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_receipt_by_wedge_scanning_posted_with_its_stock(browser: Any, live_server: LiveServer, tmp_path: Path,
                                                           size: str) -> None:
    k = live_server.kernel
    shots = shots_dir(tmp_path)
    options = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if size == "phone" else {}
    with open_page(browser, live_server.url, **options) as page:
        sign_in(page, "anbardar")
        page.goto("/inventory/documents/new?kind=receipt")
        expect(page.locator("h1")).to_contain_text("رسید انبار")
        expect(page.locator("#inv-code")).to_be_focused()
        fits(page, shots, f"inventory-receipt-new-{size}")
        wedge(page, TEA)  # the first code starts the draft (the one reload)
        page.wait_for_url("**/inventory/documents/*/edit")
        expect(rows(page)).to_have_count(1)
        expect(page.locator("#inv-code")).to_be_focused()
        page.evaluate("window.__sameDocument = true")
        wedge(page, TEA, layout="fa")  # the PC's keyboard layout is Persian: the key codes tell
        expect(row(page, "چای ممتاز").locator("input[name=quantity]")).to_have_value("۲")
        expect(page.locator("[data-inv-status]")).to_have_text("افزوده شد: چای ممتاز")
        page.evaluate("document.activeElement.blur()")
        wedge(page, TEA)  # no field focused: the page's script takes the burst, then the input is ready
        expect(row(page, "چای ممتاز").locator("input[name=quantity]")).to_have_value("۳")
        expect(page.locator("#inv-code")).to_be_focused()

        variants = k.variants
        if size == "desktop":  # the carpet received per variant: 1 of the first size and colour … 6 of the last
            codes = list(variants)
            for n, code in enumerate(codes, start=1):
                scan_wait(page, _barcode(k, variants[code]), n + 1)
                for _ in range(n - 1):
                    wedge(page, _barcode(k, variants[code]))
                expect(row(page, _name(k, variants[code])).locator("input[name=quantity]")).to_have_value(_fa(n))
            # A phone tracks serial numbers: its line, then each unit's serial scanned into its box.
            scan_wait(page, PHONE_BARCODE, 8)
            serials = row(page, "گوشی همراه").locator("textarea[name=serials]")
            serials.click()
            wedge(page, "SN-1001")
            wedge(page, "SN-1002")
            expect(serials).to_have_value("SN-1001\nSN-1002\n")
            expect(row(page, "گوشی همراه").locator("input[name=quantity]")).to_have_value("۲")
            row(page, "گوشی همراه").get_by_role("button", name="ذخیره").click()
            expect(page.locator("[data-inv-status]")).to_have_text("ذخیره شد")
        else:
            scan_wait(page, _barcode(k, variants["KSH-9M-RD"]), 2)
        lines_before = rows(page).count()

        # A code of no product: said in Persian in place, nothing added, the input ready again.
        wedge(page, "4006381333931")
        expect(page.locator("[data-inv-status]")).to_have_text(f"هیچ کالایی کد یا بارکد {format_code('4006381333931')} را ندارد")
        expect(page.locator("#inv-code")).to_have_value("4006381333931")
        expect(rows(page)).to_have_count(lines_before)
        assert page.evaluate("window.__sameDocument") is True  # every scan without a reload
        fits(page, shots, f"inventory-receipt-scanned-{size}")

        page.get_by_role("button", name="ثبت قطعی سند").click()
        expect(page.locator("h1")).to_contain_text("RCV-")
        expect(row(page, "چای ممتاز").locator("[data-on-hand]")).to_have_text("۳")
        if size == "desktop":
            for n, code in enumerate(variants, start=1):
                expect(row(page, _name(k, variants[code])).locator("[data-on-hand]")).to_have_text(_fa(n))
            expect(row(page, "گوشی همراه")).to_contain_text("SN-1001")
            expect(row(page, "گوشی همراه").locator("[data-on-hand]")).to_have_text("۲")
        else:
            expect(row(page, _name(k, variants["KSH-9M-RD"])).locator("[data-on-hand]")).to_have_text("۱")
        fits(page, shots, f"inventory-receipt-posted-{size}")
        if size == "desktop":  # the carpet's page: what is available of each size (rows) and colour
            page.goto(f"/finance/product/{k.carpet}")
            matrix = page.locator(".inventory-matrix tbody tr")
            expect(matrix).to_have_count(3)
            for r, (size_name, cells) in enumerate((("۶ متری", "۱۲"), ("۹ متری", "۳۴"), ("۱۲ متری", "۵۶"))):
                expect(matrix.nth(r).locator("th")).to_have_text(size_name)
                expect(matrix.nth(r).locator("td")).to_have_text(list(cells))
            fits(page, shots, "inventory-carpet-matrix-desktop")


def _barcode(kernel: Any, product_id: int) -> str:
    from modules.finance.models import Product

    with kernel.sessions() as s:
        return str(s.get(Product, product_id).barcode)


def _name(kernel: Any, product_id: int) -> str:
    from modules.finance.models import Product

    with kernel.sessions() as s:
        return str(s.get(Product, product_id).name)


def _fa(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


@pytest.fixture
def camera_browser(browser: Any, tmp_path: Path, live_server: LiveServer) -> Iterator[Any]:
    """Chromium whose camera films an EAN-13 of a carpet variant (its fake device plays the file)."""
    video = write_y4m(tmp_path / "barcode.y4m", _barcode(live_server.kernel, live_server.kernel.variants["KSH-12M-CR"]))
    b = browser.browser_type.launch(
        executable_path=os.environ.get("PEYVAND_CHROMIUM", "/usr/bin/chromium"), headless=True,
        args=[*CHROMIUM_FLAGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
              f"--use-file-for-fake-video-capture={video}"])
    try:
        yield b
    finally:
        b.close()


def test_the_phone_camera_adds_the_line_once(camera_browser: Any, live_server: LiveServer, tmp_path: Path) -> None:
    k = live_server.kernel
    with k.session(k.keeper) as s:
        doc_id = drafts.new_document(k, s, k.keeper, "receipt").id
    shots = shots_dir(tmp_path)
    with open_page(camera_browser, live_server.url, viewport=PHONE, is_mobile=True, has_touch=True,
                   permissions=["camera"]) as page:
        page.set_default_timeout(15000)  # the decoder warms up on a busy machine
        sign_in(page, "anbardar")
        page.goto(f"/inventory/documents/{doc_id}/edit")
        page.get_by_role("button", name="اسکن با دوربین").click()
        expect(page.locator("#inv-reader video")).to_be_visible()
        expect(rows(page)).to_have_count(1)
        name = _name(k, k.variants["KSH-12M-CR"])
        expect(row(page, name)).to_have_count(1)
        fits(page, shots, "inventory-camera-phone")
        page.wait_for_timeout(2500)  # the code stays in view: not taken again
        page.get_by_role("button", name="بستن دوربین").click()
    with k.sessions() as s:
        lines = [(ln.product_id, Decimal(ln.quantity)) for ln in
                 s.scalars(select(StockDocumentLine).where(StockDocumentLine.document_id == doc_id))]
    assert lines == [(k.variants["KSH-12M-CR"], Decimal(1))]
