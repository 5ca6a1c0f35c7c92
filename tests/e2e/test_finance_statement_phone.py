"""The customer statement (FIN-12) in Chromium: on a desk (1280 px) and on a phone (390 × 844 px)
with no horizontal overflow, its rows as cards on the phone, and the period form usable."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, check, shots_dir

from modules.finance.tests.statement_helpers import statement_world, year_of_movements

pytestmark = pytest.mark.browser
URL = "/finance/partner/{gaz}/statement?from=۱۴۰۵/۰۱/۰۱&until=۱۴۰۵/۱۲/۲۹"


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    """Tier 3 with the statement tests' year: an old invoice, a void, a plan paid by cash, slip,
    POS and a cleared cheque, a cheque in hand and a promise."""
    kernel = make_kernel(edition="tier3")
    w = statement_world(kernel)
    year_of_movements(kernel, w)
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="boss")


def test_the_statement_on_a_desk_and_a_phone(browser: Any, live_server: LiveServer, tmp_path: Path) -> None:
    shots = shots_dir(tmp_path)
    from sqlalchemy import select

    from modules.base.models import Partner

    with live_server.kernel.sessions() as s:
        url = URL.format(gaz=s.scalar(select(Partner.id).where(Partner.name == "گز اصفهان")))
    with open_page(browser, live_server.url, viewport={"width": 1280, "height": 900}) as desk:
        sign_in(desk, "boss")
        desk.goto(url)
        expect(desk.locator(".finance-statement tbody tr")).to_have_count(9)
        expect(desk.locator(".finance-statement-closing")).to_contain_text("۱۷۲٬۰۰۰٬۰۰۰")
        desk.screenshot(path=str(shots / "finance-statement.png"), full_page=True)
    with open_page(browser, live_server.url, viewport=PHONE, has_touch=True, is_mobile=True,
                   device_scale_factor=1) as phone:
        sign_in(phone, "boss")
        check(phone, url, ".finance-statement-period button[type=submit]", shots, "finance-statement-phone")
        expect(phone.locator(".finance-statement thead")).to_be_hidden()
        phone.fill(".finance-statement-period input[name=from]", "۱۴۰۵/۰۸/۰۱")
        phone.locator(".finance-statement-period button[type=submit]").click()
        expect(phone.locator(".finance-statement tbody tr")).to_have_count(2)
