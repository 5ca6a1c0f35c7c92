"""DEV-01's user side in Chromium, in Persian, on a desktop and a 390 px phone: the simulated
Panasonic PBX, read by the real device service, reports a call from a partner whose mobile was
typed in Persian digits with spaces; the pop-up appears for Sara (extension 201) and not for
Reza (extension 202, another browser); one click logs the call with its length, which the
partner's timeline shows. A call from an unknown number becomes a new partner from the pop-up.
The compliance report lists an answered call nobody logged and drops it once logged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, shots_dir

from devices.simulators.panasonic_pbx import PanasonicPbx, SimCall
from kernel import utcnow
from kernel.testing import create_user, csrf_of
from kernel.timezone import to_local
from modules.telephony.tests.telephony_helpers import TELEPHONY, add_device, calls, wait_for

pytestmark = pytest.mark.browser

PERMS = ("telephony.call.*", "base.partner.*", "base.communication.*", "telephony.compliance.report")
VIEWPORTS = [pytest.param({}, id="desktop"),
             pytest.param({"viewport": PHONE, "is_mobile": True, "has_touch": True}, id="phone")]


@pytest.fixture
def live_server(make_kernel: Callable[..., Any], web_client: Callable[..., Any], tmp_path: Path
                ) -> Iterator[LiveServer]:
    from modules.telephony.models import Extension
    from modules.telephony.runner import build_service

    kernel = make_kernel(edition="tier1", **TELEPHONY)
    sara, reza = create_user(kernel, "sara", perms=PERMS), create_user(kernel, "reza", perms=PERMS)
    with kernel.session() as s:
        s.add_all([Extension(number="201", user_id=sara), Extension(number="202", user_id=reza)])
    # Typed in the partner form the way people type: Persian digits and spaces; the PBX will
    # print 09121234567.
    client = web_client(kernel, "sara")
    saved = client.post("/base/partner/new", data={
        "csrf": csrf_of(client.get("/base/partner/new").text), "kind": "person", "first_name": "زهرا",
        "last_name": "رضایی", "mobile": "۰۹۱۲ ۱۲۳ ۴۵۶۷"}, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:300]
    kernel.partner = int(saved.headers["location"].rstrip("/").rsplit("/", 1)[-1])
    with PanasonicPbx(str(tmp_path / "pbx")) as pbx:
        add_device(kernel, pbx.path, name="سانترال پاناسونیک دفتر")
        service = build_service(kernel, backoff_min=0.05, backoff_max=0.2).start()
        kernel.pbx = pbx
        try:
            with serving(kernel) as url:
                yield LiveServer(url=url, kernel=kernel, username="sara")
        finally:
            service.stop()


def _listening(page: Any) -> None:
    """The tab's push stream is open (a message sent before it opens is caught up on the next page)."""
    # Polled from here: wait_for_function's string predicate is an eval, which the CSP refuses.
    wait_for(lambda: page.evaluate("!!(window.peyvandPush && window.peyvandPush.readyState === 1)"),
             timeout=5.0, what="the push stream")


def _fits(page: Any, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=False)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: {width} px wide"


def _now(k: Any) -> dt.datetime:
    return to_local(utcnow(), k.config.timezone).replace(second=0, microsecond=0)


@pytest.mark.parametrize("options", VIEWPORTS)
def test_the_pop_up_reaches_the_extensions_user_and_logs_the_call(browser: Any, live_server: LiveServer,
                                                                   tmp_path: Path, options: dict[str, Any]) -> None:
    k = live_server.kernel
    shots = shots_dir(tmp_path)
    name = "phone" if options else "desktop"
    with open_page(browser, live_server.url, **options) as sara, open_page(browser, live_server.url) as reza:
        sign_in(sara, "sara")
        sign_in(reza, "reza")
        _listening(sara)
        _listening(reza)
        k.pbx.call(SimCall("09121234567", _now(k), extension="201", duration_seconds=125))
        card = sara.locator(".call-stack .call-card")
        expect(card).to_have_count(1, timeout=5000)
        expect(card.locator("h3")).to_have_text("زهرا رضایی")
        expect(card).to_contain_text("۰۹۱۲ ۱۲۳ ۴۵۶۷")
        expect(card).to_contain_text("آخرین ارتباط")
        _fits(sara, shots, f"telephony-popup-{name}")
        # Reza's tab had nothing for Sara's call; a call to his extension reaches him, not her.
        wait_for(lambda: len(calls(k)) == 1, what="the call")
        reza_card = reza.locator(".call-stack .call-card")
        expect(reza_card).to_have_count(0)
        k.pbx.call(SimCall("09350001122", _now(k), extension="202", duration_seconds=30))
        expect(reza_card).to_have_count(1, timeout=5000)
        expect(reza_card).to_contain_text("شمارهٔ ناشناس")
        expect(sara.locator(".call-stack .call-card")).to_have_count(1)
        # One click logs it, with its length; the card says so and keeps no second button.
        card.locator("input[name=note]").fill("سفارش ۲۰ تخته")
        card.get_by_role("button", name="ثبت تماس").click()
        expect(card.locator("[role=status]")).to_have_text("تماس ثبت شد")
        expect(card.get_by_role("button", name="ثبت تماس")).to_have_count(0)
        _fits(sara, shots, f"telephony-popup-logged-{name}")
        card.locator(".call-card-close").click()
        expect(sara.locator(".call-stack .call-card")).to_have_count(0)
        sara.goto(f"/base/partner/{k.partner}/profile")
        expect(sara.locator(".profile-communications tbody tr").first).to_contain_text("تماس ورودی (۲:۰۵)")
        _fits(sara, shots, f"telephony-popup-timeline-{name}")


@pytest.mark.parametrize("options", VIEWPORTS)
def test_an_unknown_number_becomes_a_partner_from_the_pop_up(browser: Any, live_server: LiveServer,
                                                             tmp_path: Path, options: dict[str, Any]) -> None:
    k = live_server.kernel
    shots = shots_dir(tmp_path)
    name = "phone" if options else "desktop"
    with open_page(browser, live_server.url, **options) as sara:
        sign_in(sara, "sara")
        _listening(sara)
        k.pbx.call(SimCall("09129998877", _now(k), extension="201", duration_seconds=40))
        card = sara.locator(".call-stack .call-card")
        expect(card).to_contain_text("شمارهٔ ناشناس", timeout=5000)
        card.get_by_role("link", name="طرف جدید").click()
        expect(sara.locator("input[name=mobile]")).to_have_value("09129998877")
        _fits(sara, shots, f"telephony-new-partner-{name}")
        sara.fill("input[name=first_name]", "نرگس")
        sara.fill("input[name=last_name]", "احمدی")
        sara.locator("form.record-form button[type=submit], form button.primary[type=submit]").first.click()
        expect(sara).to_have_url(f"{live_server.url}/telephony/call/{calls(k)[0].id}")
        expect(sara.locator("main .call-card h3")).to_have_text("نرگس احمدی")
        _fits(sara, shots, f"telephony-call-page-{name}")


@pytest.mark.parametrize("options", VIEWPORTS)
def test_the_compliance_report_drops_a_call_once_logged(browser: Any, live_server: LiveServer,
                                                        tmp_path: Path, options: dict[str, Any]) -> None:
    k = live_server.kernel
    shots = shots_dir(tmp_path)
    name = "phone" if options else "desktop"
    k.pbx.call(SimCall("09121234567", _now(k), extension="202", duration_seconds=75))
    wait_for(lambda: len(calls(k)) == 1, what="the call")
    with open_page(browser, live_server.url, **options) as sara:
        sign_in(sara, "sara")
        sara.goto("/reports/telephony.compliance")
        row = sara.locator("table.grid tbody tr").filter(has_text="زهرا رضایی")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Reza")
        _fits(sara, shots, f"telephony-compliance-{name}")
        row.get_by_role("link", name="ثبت تماس").click()
        sara.locator("main .call-card").get_by_role("button", name="ثبت تماس").click()
        expect(sara.locator("main .call-card .call-logged")).to_have_count(1)
        sara.goto("/reports/telephony.compliance")
        expect(sara.locator("table.grid tbody tr").filter(has_text="زهرا رضایی")).to_have_count(0)
