"""The online-shop page in Chromium, in Persian: the shop administrator presses «همگام‌سازی اکنون»
against the fake WooCommerce shop; the imported order, the order needing attention and the SKU
with no product show — on a desktop and on a 390-pixel-wide phone. Screenshots in
``$PEYVAND_SHOTS``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, shots_dir

from kernel.db import utcnow
from kernel.testing import create_user
from modules.carpet.shop.fake_shop import FakeShop
from modules.carpet.shop.testing import link_shop
from modules.inventory.tests.editor_helpers import carpet

pytestmark = pytest.mark.browser


def test_sync_now_on_the_shop_page(browser: Any, make_kernel: Callable[..., Any], tmp_path: Path) -> None:
    shots = shots_dir(tmp_path)
    kernel = make_kernel(edition="carpet")
    carpet(kernel)
    create_user(kernel, "shopadmin", perms=("carpet.shop.manage",))
    shop = FakeShop().start()
    try:
        day = utcnow() - dt.timedelta(hours=3)
        shop.state.add_variable("فرش کاشان", [("KSH-6M-CR", "۶ متری کرم", 4_500_000, 2),
                                              ("KSH-15M", "۱۵ متری", 12_000_000, 1)])
        shop.state.add_order([("KSH-6M-CR", 1, 4_500_000)], first_name="مریم", last_name="کاظمی",
                             phone="09121234567", created=day)
        shop.state.add_order([("KSH-15M", 1, 12_000_000)], first_name="سارا", last_name="محمدی",
                             phone="09190001122", created=day + dt.timedelta(hours=1))
        link_shop(kernel, shop)
        with serving(kernel) as url:
            with open_page(browser, url) as page:
                sign_in(page, "shopadmin")
                page.goto("/carpet/shop")
                page.get_by_role("button", name="همگام‌سازی اکنون").click()
                expect(page.get_by_text("همگام‌سازی انجام شد")).to_be_visible()
                expect(page.locator("[data-shop-recent]")).to_contain_text("مریم کاظمی")
                expect(page.locator("[data-shop-attention]")).to_contain_text("سارا محمدی")
                expect(page.locator("[data-shop-unmatched]")).to_contain_text("KSH-۱۵M")
                expect(page.locator("[data-run-ok]")).to_contain_text("۱ سفارش وارد شد")
                page.screenshot(path=str(shots / "carpet-shop-desktop.png"), full_page=True)
            with open_page(browser, url, viewport=PHONE, is_mobile=True, has_touch=True) as phone:
                sign_in(phone, "shopadmin")
                phone.goto("/carpet/shop")
                expect(phone.locator("[data-shop-attention]")).to_contain_text("سارا محمدی")
                assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
                phone.screenshot(path=str(shots / "carpet-shop-phone.png"), full_page=True)
    finally:
        shop.stop()
