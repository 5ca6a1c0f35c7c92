"""The SMS pipe in Chromium, in Persian (issue 13): an SMS from an unknown number reaches the
fake panel's webhook, waits in the inbox, and a user assigns it to a partner by typing the name;
it then shows on the partner's profile. The panel's credit page. Screenshots at 1280×800 and
390×844 (``$PEYVAND_SHOTS`` keeps them); neither page scrolls sideways on a phone."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect

from kernel.testing import create_record, create_user
from modules.marketing.fake_panel import FakePanel, PanelState
from modules.marketing.models import Panel
from modules.marketing.testing import add_panel

pytestmark = pytest.mark.browser

PERMS = ("marketing.inbound.view", "marketing.inbound.assign", "marketing.panel.view", "marketing.panel.edit",
         "base.partner.view", "base.communication.view")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def fake() -> Iterator[FakePanel]:
    panel = FakePanel(PanelState(credit=7_500_000)).start()
    yield panel
    panel.stop()


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    kernel = make_kernel(modules=("marketing",))
    create_user(kernel, "nahid", perms=PERMS)
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="nahid")


def shot(page: Any, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(Path(os.environ.get("PEYVAND_SHOTS") or tmp_path) / name), full_page=True)


def test_an_unknown_sender_waits_in_the_inbox_and_is_assigned_by_name(
        browser: Any, live_server: LiveServer, fake: FakePanel, tmp_path: Path) -> None:
    kernel = live_server.kernel
    panel_id = add_panel(kernel, fake)
    partner = create_record(kernel, None, "base.partner", kind="person", first_name="پروین", last_name="اعتصامی",
                            mobile="+989121112233")
    with kernel.sessions() as s:
        token = s.get(Panel, panel_id).webhook_token  # type: ignore[union-attr]
    answer = fake.report_inbound(f"{live_server.url}/marketing/panel/{token}/hook", "09387776655",
                                 "کارت گارانتی فرش شمارهٔ ۴۴۱۲ را ثبت کنید")
    assert answer.status_code == 200

    with open_page(browser, live_server.url, **PHONE) as phone:
        sign_in(phone, "nahid")
        phone.goto("/marketing/inbox")
        expect(phone.locator("[data-inbound]")).to_have_count(1)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        shot(phone, tmp_path, "marketing-inbox-phone.png")

    with open_page(browser, live_server.url) as page:
        sign_in(page, "nahid")
        page.goto("/marketing/inbox")
        row = page.locator("[data-inbound]")
        expect(row).to_contain_text("کارت گارانتی فرش")
        expect(row).to_contain_text("۰۹۳۸")  # the sender's number, in Persian digits
        shot(page, tmp_path, "marketing-inbox.png")
        row.locator("input[type=search]").fill("اعتصا")
        choice = page.locator(".ref-results button", has_text="پروین")
        expect(choice).to_be_visible()
        choice.click()
        row.locator("button[type=submit]").click()
        expect(page.locator("p.empty")).to_have_text("پیامی در انتظار تخصیص نیست.")
        page.goto(f"/base/partner/{partner}/profile")
        expect(page.locator("body")).to_contain_text("کارت گارانتی فرش شمارهٔ ۴۴۱۲")


def test_the_panel_credit_page_in_persian_on_a_phone(browser: Any, live_server: LiveServer, fake: FakePanel,
                                                     tmp_path: Path) -> None:
    panel_id = add_panel(live_server.kernel, fake)
    with open_page(browser, live_server.url, **PHONE) as phone:
        sign_in(phone, "nahid")
        phone.goto(f"/marketing/panel/{panel_id}/credit")
        expect(phone.locator("[data-credit]")).to_contain_text("۷٬۵۰۰٬۰۰۰")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        shot(phone, tmp_path, "marketing-credit-phone.png")
        phone.goto(f"/marketing/panel/{panel_id}/keys")
        expect(phone.locator("[data-webhook]")).to_contain_text("/marketing/panel/")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        shot(phone, tmp_path, "marketing-keys-phone.png")
