"""SAL-01/02 in Chromium, in Persian: a lead from the website qualified to an opportunity, dragged
across the board, refused at «مذاکره» until the manager approves, then moved there with the
keyboard alone; the board at 390 px scrolls inside itself, the page does not."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, shots_dir

from kernel.testing import create_record
from modules.sales.tests.sales_helpers import SALES, opportunity, people, stages

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    kernel = make_kernel(edition="tier2", **SALES)
    kernel.people = people(kernel)
    kernel.lead = create_record(kernel, kernel.people["sara"], "sales.lead", title="استعلام فرش هتل از وب‌سایت",
                                source="web", company_name="هتل پارسیان", contact_name="آقای کریمی",
                                mobile="+989121234567", need_level="high")
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="sara")


def column(page: Any, name: str) -> Any:
    return page.locator("[data-stage]").filter(has=page.locator("h2", has_text=name))


def test_a_web_lead_goes_across_the_board_through_approval(browser: Any, live_server: LiveServer,
                                                           tmp_path: Path) -> None:
    k = live_server.kernel
    shots = shots_dir(tmp_path)
    with open_page(browser, live_server.url) as page:
        sign_in(page, "sara")
        page.goto(f"/sales/lead/{k.lead}/qualify")
        page.fill("input[name=expected_value]", "۸۵۰٬۰۰۰٬۰۰۰")
        page.get_by_role("button", name="تبدیل به فرصت فروش").click()
        expect(page.locator("main")).to_contain_text("هتل پارسیان")
        opp_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
        page.goto("/sales/board")
        card = page.locator(f"[data-card='{opp_id}']")
        expect(column(page, "نیازسنجی").locator(f"[data-card='{opp_id}']")).to_be_visible()
        expect(column(page, "نیازسنجی").locator("[data-total]")).to_have_text("۸۵۰٬۰۰۰٬۰۰۰ ریال")
        card.drag_to(column(page, "سفارش فروش").locator(".cards"))
        expect(column(page, "سفارش فروش").locator(f"[data-card='{opp_id}']")).to_be_visible()
        expect(column(page, "سفارش فروش").locator("[data-count]")).to_have_text("۱")
        expect(column(page, "نیازسنجی").locator("[data-count]")).to_have_text("۰")
        card.drag_to(column(page, "مذاکره").locator(".cards"))
        expect(page.locator("[data-board-error]")).to_have_text(
            "این مرحله نخست تأیید سفارش فروش از سوی مدیر را می‌خواهد")
        expect(column(page, "سفارش فروش").locator(f"[data-card='{opp_id}']")).to_be_visible()
        page.screenshot(path=str(shots / "sales-board-refused.png"), full_page=True)
    with open_page(browser, live_server.url) as manager:
        sign_in(manager, "maryam")
        manager.goto(f"/sales/opportunity/{opp_id}/approval")
        manager.screenshot(path=str(shots / "sales-approval.png"), full_page=True)
        manager.get_by_role("button", name="تأیید", exact=True).click()
        expect(manager.locator("main")).to_contain_text("تأییدشده")
    with open_page(browser, live_server.url) as page:
        sign_in(page, "sara")
        page.goto("/sales/board")
        card = page.locator(f"[data-card='{opp_id}']")
        card.focus()
        page.keyboard.press("Alt+ArrowLeft")  # right to left: the next stage is on the left
        expect(column(page, "مذاکره").locator(f"[data-card='{opp_id}']")).to_be_visible()
        expect(card).to_be_focused()
        page.screenshot(path=str(shots / "sales-board.png"), full_page=True)
    assert opportunity(k, opp_id).stage_id == stages(k)["مذاکره"].id
    with open_page(browser, live_server.url, viewport=PHONE, is_mobile=True, has_touch=True) as phone:
        sign_in(phone, "sara")
        phone.goto("/sales/board")
        phone.screenshot(path=str(shots / "sales-board-390.png"), full_page=True)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        expect(phone.locator(f"[data-card='{opp_id}'] .card-move")).to_be_visible()
