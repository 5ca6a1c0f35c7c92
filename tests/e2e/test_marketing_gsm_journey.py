"""The GSM modem panel in Chromium, in Persian (DEV-03): an administrator adds a panel of kind
"GSM modem" with the simulated modem's port, gives the SIM's PIN on the key page, checks the
modem (SIM ready, signal, network), and after the modem is unplugged the same check says the
port is not there. Screenshots at 1280×800 and 390×844 (``$PEYVAND_SHOTS`` keeps them); no page
scrolls sideways on a phone."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from sqlalchemy import select
from test_marketing_sms_journey import PHONE, shot  # the SMS journey's phone and screenshots

from devices.simulators.gsm_modem import GsmModemSim
from kernel.testing import create_user
from modules.marketing.models import Panel

pytestmark = pytest.mark.browser

PERMS = ("marketing.panel.view", "marketing.panel.create", "marketing.panel.edit")


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    kernel = make_kernel(modules=("marketing",))
    create_user(kernel, "bahram", perms=PERMS)
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="bahram")


def test_a_gsm_modem_panel_is_added_given_its_pin_and_checked_then_unplugged(
        browser: Any, live_server: LiveServer, tmp_path: Path) -> None:
    kernel = live_server.kernel
    with GsmModemSim(str(tmp_path / "ttyUSB0"), pin="1379") as sim:
        with open_page(browser, live_server.url) as page:
            sign_in(page, "bahram")
            page.goto("/marketing/panel/new")
            page.fill("input[name=name]", "مودم دفتر مرکزی")
            page.select_option("select[name=kind]", "gsm")
            expect(page.locator("select[name=kind] option[value=gsm]")).to_have_text("مودم جی‌اس‌ام")
            page.fill("input[name=base_url]", sim.path)
            page.fill("input[name=sender]", "09120001122")
            shot(page, tmp_path, "marketing-gsm-panel-form.png")
            page.locator("form button[type=submit].primary").first.click()
            page.wait_for_url("**/marketing/panel/*")
            with kernel.sessions() as s:
                panel_id = s.scalar(select(Panel.id).where(Panel.kind == "gsm"))
            page.goto(f"/marketing/panel/{panel_id}/keys")
            page.fill("input[name=password]", "1379")
            page.locator("button[type=submit].primary").click()
            page.goto(f"/marketing/panel/{panel_id}/modem")
            expect(page.locator("[data-modem-pin]")).to_have_text("آماده")
            expect(page.locator("[data-modem-signal]")).to_contain_text("۳ خط از ۵")
            expect(page.locator("[data-modem-network]")).to_have_text("ثبت‌شده (شبکه‌ی خانگی)")
            shot(page, tmp_path, "marketing-gsm-modem.png")

        with open_page(browser, live_server.url, **PHONE) as phone:
            sign_in(phone, "bahram")
            phone.goto(f"/marketing/panel/{panel_id}/modem")
            expect(phone.locator("[data-modem-pin]")).to_have_text("آماده")
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390
            shot(phone, tmp_path, "marketing-gsm-modem-phone.png")
            sim.unplug()
            phone.goto(f"/marketing/panel/{panel_id}/modem")
            expect(phone.locator("[data-modem-error]")).to_contain_text("درگاه مودم وجود ندارد (مودم وصل است؟)")
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390
            shot(phone, tmp_path, "marketing-gsm-modem-unplugged-phone.png")
