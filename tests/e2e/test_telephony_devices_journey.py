"""DEV-01 in Chromium, in Persian: a simulated Panasonic PBX prints a call while the device
service runs; the call appears in today's calls under the partner whose mobile was typed in
another format, and on the partner's profile; the device status page shows the device connected
and a garbled line. Every page is checked at 390 px wide too."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, shots_dir

from devices.simulators.panasonic_pbx import PanasonicPbx, SimCall
from kernel import utcnow
from kernel.testing import create_user
from kernel.timezone import to_local
from modules.telephony.tests.telephony_helpers import TELEPHONY, add_device, add_partner, call_count, wait_for

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(make_kernel: Callable[..., Any], tmp_path: Path) -> Iterator[LiveServer]:
    from modules.telephony.runner import build_service

    kernel = make_kernel(edition="tier1", **TELEPHONY)
    create_user(kernel, "sara", perms=("telephony.device.*", "telephony.call.view",
                                       "telephony.extension.*", "base.partner.view"))
    kernel.partner = add_partner(kernel, "زهرا رضایی", mobile="+989121234567")
    with PanasonicPbx(str(tmp_path / "pbx")) as pbx:
        add_device(kernel, pbx.path, name="سانترال پاناسونیک دفتر")
        service = build_service(kernel, backoff_min=0.05, backoff_max=0.2).start()
        kernel.pbx = pbx
        try:
            with serving(kernel) as url:
                yield LiveServer(url=url, kernel=kernel, username="sara")
        finally:
            service.stop()


def fits(page: Any, path: str, shots: Path, name: str) -> None:
    page.goto(path)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{path}: the page is {width} px wide on a {viewport} px screen"


def test_a_pbx_call_reaches_todays_calls_the_profile_and_the_status_page(browser: Any, live_server: LiveServer,
                                                                         tmp_path: Path) -> None:
    k = live_server.kernel
    now = to_local(utcnow(), k.config.timezone).replace(second=0, microsecond=0)
    k.pbx.call(SimCall("09121234567", now, duration_seconds=125))
    k.pbx.print_line("12/07/26 99:99XX garbled by a wrong baud rate")
    wait_for(lambda: call_count(k) == 1, what="the call")
    shots = shots_dir(tmp_path)
    for name, options in (("desktop", {}), ("phone", {"viewport": PHONE, "is_mobile": True, "has_touch": True})):
        with open_page(browser, live_server.url, **options) as page:
            sign_in(page, "sara")
            fits(page, "/telephony/today", shots, f"telephony-today-{name}")
            row = page.locator("table tbody tr").filter(has_text="زهرا رضایی")
            expect(row).to_have_count(1)
            fits(page, f"/base/partner/{k.partner}/profile", shots, f"telephony-profile-{name}")
            expect(page.locator("[data-panel='telephony.last_call'] .last-call")).to_contain_text("۲:۰۵")
            fits(page, "/telephony/status", shots, f"telephony-status-{name}")
            expect(page.locator("[data-state]")).to_have_attribute("data-state", "connected")
            expect(page.locator(".garbled li")).to_contain_text("12/07/26 99:99XX")
            fits(page, "/telephony/device/new", shots, f"telephony-device-form-{name}")
