"""SAL-01/02/03 with the stock, in Chromium, in Persian: a lead from the website qualified to an
opportunity, dragged across the board and refused at «مذاکره»; a sales order written from the
deal and sent, approved by the manager (a second user); the drag now passes (by keyboard too);
finance makes the proforma and the invoice from the order; the stock reserved on approval, then
issued with the invoice — each step on the order's page, at 1280 and 390 px wide."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, shots_dir

from kernel.testing import create_record
from modules.sales.tests.order_helpers import clerk, order_row, products
from modules.sales.tests.sales_helpers import opportunity, people, stages

pytestmark = pytest.mark.browser
STOCK = {"edition": "tier2", "modules": ("tasks", "sales", "inventory"),
         "packages": ("modules.sales", "modules.sales_stock")}


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    from modules.inventory.services import stock

    kernel = make_kernel(**STOCK)
    kernel.people = people(kernel)
    kernel.clerk = clerk(kernel)
    kernel.goods = products(kernel)
    with kernel.session() as s:
        stock.put(s, kernel.goods["carpet"], int(stock.default_warehouse_id(s) or 0), Decimal(30))
    kernel.lead = create_record(kernel, kernel.people["sara"], "sales.lead", title="استعلام فرش هتل از وب‌سایت",
                                source="web", company_name="هتل پارسیان", contact_name="آقای کریمی",
                                mobile="+989121234567", need_level="high")
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="sara")


@contextmanager
def signed_in(browser: Any, url: str, username: str, **options: Any) -> Iterator[Any]:
    """A page of ``username``'s. Five users sign in one after another on a shared, busy machine:
    a login's password hash alone has taken over the 5 s default there, so this journey waits 15."""
    with open_page(browser, url, **options) as page:
        page.set_default_timeout(15000)
        sign_in(page, username)
        yield page


def column(page: Any, name: str) -> Any:
    return page.locator("[data-stage]").filter(has=page.locator("h2", has_text=name))


def test_a_web_lead_through_an_approved_sales_order_to_invoice_and_stock(browser: Any, live_server: LiveServer,
                                                                         tmp_path: Path) -> None:
    k = live_server.kernel
    shots = shots_dir(tmp_path)
    with signed_in(browser, live_server.url, "sara") as page:
        page.goto(f"/sales/lead/{k.lead}/qualify")
        page.fill("input[name=expected_value]", "۸۵۰٬۰۰۰٬۰۰۰")
        page.get_by_role("button", name="تبدیل به فرصت فروش").click()
        expect(page.locator("main")).to_contain_text("هتل پارسیان")
        opp_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
        page.goto("/sales/board")
        card = page.locator(f"[data-card='{opp_id}']")
        expect(column(page, "نیازسنجی").locator("[data-total]")).to_have_text("۸۵۰٬۰۰۰٬۰۰۰ ریال")
        card.drag_to(column(page, "سفارش فروش").locator(".cards"))
        expect(column(page, "سفارش فروش").locator(f"[data-card='{opp_id}']")).to_be_visible()
        card.drag_to(column(page, "مذاکره").locator(".cards"))
        expect(page.locator("[data-board-error]")).to_have_text(
            "این مرحله نخست تأیید سفارش فروش از سوی مدیر را می‌خواهد")
        expect(column(page, "سفارش فروش").locator(f"[data-card='{opp_id}']")).to_be_visible()
        page.screenshot(path=str(shots / "sales-board-refused.png"), full_page=True)

        # The order, written from the deal's page: its customer is the deal's.
        page.goto(f"/sales/opportunity/{opp_id}")
        page.get_by_role("link", name="سفارش فروش تازه").click()
        page.locator("form.record-form button[type=submit]").click()
        expect(page.locator("[data-order]")).to_be_visible()
        order_id = int(page.locator("[data-order]").get_attribute("data-order") or 0)
        page.select_option("#so-product", str(k.goods["carpet"]))
        page.fill("input[name=quantity]", "۲۰")
        page.fill("input[name=discount_percent]", "۸")
        page.get_by_role("button", name="ردیف را بیفزا").click()
        expect(page.locator("[data-order-total]")).to_have_text("۲۳۰٬۰۰۰٬۰۰۰ ریال")
        page.get_by_role("button", name="ارسال برای تأیید").click()
        expect(page.locator("[data-step='submitted']")).to_have_class("done")
    assert order_row(k, order_id).partner_id == opportunity(k, opp_id).partner_id

    with signed_in(browser, live_server.url, "maryam") as manager:
        manager.goto("/sales/order/?f_state=submitted")
        manager.locator(f"a[href='/sales/order/{order_id}']").first.click()
        manager.screenshot(path=str(shots / "sales-order-to-approve.png"), full_page=True)
        manager.locator("[data-decide]").get_by_role("button", name="تأیید", exact=True).click()
        expect(manager.locator("[data-step='approved']")).to_contain_text("Maryam")
        expect(manager.locator("[data-step='reserved']")).to_contain_text("۲۰")

    with signed_in(browser, live_server.url, "sara") as page:
        page.goto("/sales/board")
        card = page.locator(f"[data-card='{opp_id}']")
        card.focus()
        page.keyboard.press("Alt+ArrowLeft")  # right to left: the next stage is on the left
        expect(column(page, "مذاکره").locator(f"[data-card='{opp_id}']")).to_be_visible()
        expect(card).to_contain_text("تأییدشده")
        page.screenshot(path=str(shots / "sales-board.png"), full_page=True)
    assert opportunity(k, opp_id).stage_id == stages(k)["مذاکره"].id

    with signed_in(browser, live_server.url, "nima") as finance:
        finance.goto(f"/sales/order/{order_id}")
        finance.get_by_role("button", name="صدور پیش‌فاکتور").click()
        expect(finance.locator("[data-step='proforma'] a")).to_be_visible()
        finance.get_by_role("link", name="باز کردن پیش‌فاکتور برای صدور فاکتور").click()
        finance.goto(finance.url.rstrip("/") + "/convert")
        finance.get_by_role("button", name="تبدیل", exact=True).click()
        finance.goto(f"/sales/order/{order_id}")
        expect(finance.locator("[data-step='invoice'] a")).to_be_visible()
        expect(finance.locator("[data-step='delivered']")).to_have_class("done")
        finance.screenshot(path=str(shots / "sales-order.png"), full_page=True)
    with signed_in(browser, live_server.url, "sara", viewport=PHONE, is_mobile=True, has_touch=True) as phone:
        phone.goto(f"/sales/order/{order_id}")
        phone.screenshot(path=str(shots / "sales-order-390.png"), full_page=True)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        phone.goto("/sales/board")
        phone.screenshot(path=str(shots / "sales-board-390.png"), full_page=True)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
