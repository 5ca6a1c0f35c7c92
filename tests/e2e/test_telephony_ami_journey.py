"""DEV-01's Asterisk half in Chromium, in Persian: an administrator adds an Issabel through the
device form (the AMI section appears only for that driver), sets a wrong secret on its own page,
sees the refusal explained on the status page, sets the right one; the simulated Asterisk rings
an extension and the call lands in today's calls. Every page is checked at 390 px wide too."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, shots_dir
from test_telephony_devices_journey import fits

from devices.simulators.asterisk_ami import AsteriskSim
from kernel.testing import create_user
from modules.telephony.tests.telephony_helpers import TELEPHONY, add_partner, call_count, calls, wait_for

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    kernel = make_kernel(edition="tier1", **TELEPHONY)
    create_user(kernel, "sara", perms=("telephony.device.*", "telephony.call.view", "telephony.extension.*",
                                       "base.partner.view"))
    kernel.partner = add_partner(kernel, "زهرا رضایی", mobile="+989121234567")
    with AsteriskSim(secret="s3cret-of-issabel") as sim, serving(kernel) as url:
        kernel.asterisk = sim
        yield LiveServer(url=url, kernel=kernel, username="sara")


def service_states(k: Any) -> Any:
    from modules.telephony.runner import build_service

    return build_service(k, backoff_min=0.05, backoff_max=0.2).start()


def set_secret(page: Any, device: int, secret: str) -> None:
    page.goto(f"/telephony/device/{device}/secret")
    page.fill("#secret", secret)
    page.click("form.form button[type=submit]")
    expect(page.locator("[data-secret-state]")).to_have_attribute("data-secret-state", "set")


def test_an_issabel_is_added_refused_then_rings_into_todays_calls(browser: Any, live_server: LiveServer,
                                                                   tmp_path: Path) -> None:
    from modules.telephony.models import Device

    k, sim = live_server.kernel, live_server.kernel.asterisk
    shots = shots_dir(tmp_path)
    with open_page(browser, live_server.url) as page:
        sign_in(page, "sara")
        page.goto("/telephony/device/new")
        ami = page.locator("fieldset[data-when-values='asterisk_ami']")
        page.select_option("select[name=driver]", "panasonic_smdr")
        expect(ami).to_be_hidden()
        page.select_option("select[name=driver]", "asterisk_ami")
        expect(ami).to_be_visible()
        expect(ami.locator("legend")).to_contain_text("رابط مدیریت استریسک")
        page.fill("input[name=name]", "ایزابل دفتر مرکزی")
        page.fill("input[name=port]", sim.address)
        page.fill("input[name=username]", "peyvand")
        page.screenshot(path=str(shots / "telephony-ami-form-desktop.png"), full_page=True)
        page.click("form.record-form button[type=submit]")
        expect(page.locator("form.record-form")).to_have_count(0)
        with k.sessions() as session:
            from sqlalchemy import select

            device = session.scalars(select(Device)).one().id
        set_secret(page, device, "a-wrong-guess")
        service = service_states(k)
        try:
            wait_for(lambda: sim.refused >= 1, what="the refused login")
            page.goto("/telephony/status")
            card = page.locator(f"[data-device='{device}']")
            expect(card.locator("[data-error]")).to_contain_text("استریسک نام کاربری یا رمز را نپذیرفت")
            expect(card.locator("[data-state]")).to_have_attribute("data-state", "retrying")
            page.screenshot(path=str(shots / "telephony-ami-refused-desktop.png"), full_page=True)
        finally:
            service.stop()
        set_secret(page, device, "s3cret-of-issabel")
        page.screenshot(path=str(shots / "telephony-ami-secret-desktop.png"), full_page=True)

    service = service_states(k)
    try:
        assert sim.wait_for_listener(10), "the service did not log in with the right secret"
        call = sim.ring("09121234567", "201")
        wait_for(lambda: call_count(k) == 1, what="the ringing call")
        sim.answer(call, after=4)
        sim.hangup(call, talk=125)
        wait_for(lambda: calls(k)[0].answered is True, what="the call's record")
        for name, options in (("desktop", {}), ("phone", {"viewport": PHONE, "is_mobile": True, "has_touch": True})):
            with open_page(browser, live_server.url, **options) as page:
                sign_in(page, "sara")
                fits(page, "/telephony/today", shots, f"telephony-ami-today-{name}")
                row = page.locator("table tbody tr").filter(has_text="زهرا رضایی")
                expect(row).to_have_count(1)
                fits(page, "/telephony/status", shots, f"telephony-ami-status-{name}")
                expect(page.locator(f"[data-device='{device}'] [data-state]")).to_have_attribute(
                    "data-state", "connected")
                expect(page.locator("[data-ami-secret]")).to_be_visible()
                fits(page, f"/telephony/device/{device}/secret", shots, f"telephony-ami-secret-{name}")
                fits(page, f"/telephony/device/{device}/edit", shots, f"telephony-ami-form-{name}")
                expect(page.locator("fieldset[data-when-values='asterisk_ami']")).to_be_visible()
    finally:
        service.stop()
