"""The payment-behaviour score's pages in Chromium (FIN-12): the customers list, the partner's
profile with its "Payment behaviour" panel and an invoice's payment plan page with the score, on a
desktop and on a 390 px phone — no horizontal overflow, the band in Persian, the next page's link
and the profile link can be tapped. ``PEYVAND_SHOTS=<dir>`` keeps the screenshots."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, check, shots_dir

from modules.finance.tests.test_finance_customers_list import _world

pytestmark = pytest.mark.browser
WORLD: dict[str, Any] = {}  # the ids the fixture made, for the test's addresses


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    """Tier 3: a customer whose cheque bounced, one with no history, six more, one paid on time."""
    kernel = make_kernel(edition="tier3")
    WORLD.update(_world(kernel))
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="boss")


def test_the_score_pages_on_a_desktop_and_a_phone(browser: Any, live_server: LiveServer, tmp_path: Path) -> None:
    shots = shots_dir(tmp_path)
    profile, plan = f"/base/partner/{WORLD['gaz']}/profile", f"/finance/invoice/{WORLD['invoice']}/plan"
    with open_page(browser, live_server.url) as desk:
        sign_in(desk, "boss")
        desk.goto("/finance/customers")
        expect(desk.locator("table.finance-customers tbody tr")).to_have_count(8)
        expect(desk.locator("[data-band=bad] .finance-score-band").first).to_have_text("بدحساب")
        desk.screenshot(path=str(shots / "finance-customers.png"), full_page=True)
        desk.goto("/finance/customers?sort=score&band=good")
        expect(desk.locator("table.finance-customers tbody tr")).to_have_count(1)
        desk.goto(profile)
        desk.screenshot(path=str(shots / "finance-score-profile.png"), full_page=True)
        desk.goto(plan)
        expect(desk.locator(".finance-plan-record [data-band=bad]")).to_be_visible()
        desk.screenshot(path=str(shots / "finance-score-plan.png"), full_page=True)
    with open_page(browser, live_server.url, viewport=PHONE, has_touch=True, is_mobile=True,
                   device_scale_factor=1) as phone:
        sign_in(phone, "boss")
        check(phone, "/finance/customers", "table.finance-customers a[href$='/profile']", shots,
              "finance-customers-phone")
        check(phone, profile, ".finance-score", shots, "finance-score-profile-phone")
        check(phone, plan, ".finance-plan-record .finance-score", shots,
              "finance-score-plan-phone")
