"""The insurance agency's journey in Chromium, in Persian (issue 16, INS-01): an agent sells a
policy ending in ten days (typed with Persian digits), the jobs run by the clock — the agent's
alarm appears in the tray and the renewal SMS reaches the fake panel — then "Renew" opens the
next period's form prefilled, and the new policy and the old one link to each other. Screenshots
at 1280×800 and 390×844 (``$PEYVAND_SHOTS`` keeps them); no page scrolls sideways on a phone."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from sqlalchemy import select

from kernel import utcnow
from kernel.testing import create_record, create_user
from kernel.timezone import local_today
from modules.insurance.models import Policy
from modules.insurance.tests.insurance_helpers import AGENT_PERMS, drain, jalali
from modules.marketing.fake_panel import FakePanel
from modules.marketing.testing import add_panel, fake_panel

pytestmark = pytest.mark.browser
__all__ = ["fake_panel"]  # marketing's fake SMS panel (a real HTTP server), as a fixture here

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    kernel = make_kernel(edition="insurance")
    create_user(kernel, "sara", perms=AGENT_PERMS, scope="own")
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="sara")


def shot(page: Any, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(Path(os.environ.get("PEYVAND_SHOTS") or tmp_path) / name), full_page=True)


def no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_policy_ending_in_ten_days_alarms_texts_and_renews(browser: Any, live_server: LiveServer,
                                                             fake_panel: FakePanel, tmp_path: Path) -> None:
    fake = fake_panel
    kernel = live_server.kernel
    add_panel(kernel, fake)
    with kernel.sessions() as s:
        from kernel.models import User

        sara = s.scalar(select(User.id).where(User.username == "sara"))
    car = create_record(kernel, None, "insurance.policy_type", name="بدنه")
    asia = create_record(kernel, None, "insurance.insurer", name="بیمهٔ آسیا")
    maryam = create_record(kernel, sara, "base.partner", kind="person", first_name="مریم", last_name="کریمی",
                           mobile="+989121110000")
    today = local_today(kernel.config.timezone)

    with open_page(browser, live_server.url) as page:
        sign_in(page, "sara")
        page.goto("/insurance/policy/new")
        page.fill("input[name=number]", "AS-1405-۰۰۰۷۷")
        page.select_option("select[name=type_id]", str(car))
        page.select_option("select[name=insurer_id]", str(asia))
        page.select_option("select[name=insured_id]", str(maryam))
        page.fill("input[name=starts_on]", jalali(today - dt.timedelta(days=355)))
        page.fill("input[name=ends_on]", jalali(today + dt.timedelta(days=10)))
        page.fill("input[name=premium]", "۲۴٬۰۰۰٬۰۰۰")
        page.locator("form button.primary[type=submit], form button.primary").first.click()
        expect(page.locator("h1")).to_contain_text("AS-")
        with kernel.sessions() as s:
            old = s.scalars(select(Policy)).one()
            assert (old.number, old.premium, old.owner_id) == ("AS-1405-00077", 24_000_000, sara)
            old_id = old.id

        # The jobs by the clock: the scan alarms the agent and queues the renewal SMS; it leaves.
        drain(kernel, utcnow() + dt.timedelta(minutes=1))
        texts = [m.message for m in fake.state.sent.values()]
        assert any("تمدید" in t and "AS-1405-00077" in t for t in texts), texts
        assert {m.receptor for m in fake.state.sent.values()} == {"09121110000"}
        page.reload()
        expect(page.locator("[data-alarm-tray]")).to_contain_text("مریم کریمی")
        expect(page.locator("[data-alarm-tray]")).to_contain_text("به پایان می‌رسد")
        shot(page, tmp_path, "insurance-policy-alarm-1280.png")

        # Renew: the next period's form, prefilled; the new policy links to the old.
        page.locator("a.insurance-renew").click()
        expect(page.locator("input[name=ends_on]")).not_to_have_value("")
        assert page.locator("select[name=insured_id]").input_value() == str(maryam)
        page.fill("input[name=number]", "AS-1406-00001")
        page.locator("form button.primary[type=submit], form button.primary").first.click()
        expect(page.locator(".insurance-renews")).to_contain_text("AS-")
        shot(page, tmp_path, "insurance-renewal-1280.png")
        with kernel.sessions() as s:
            new = s.scalars(select(Policy).where(Policy.renews_id == old_id)).one()
            assert s.get(Policy, old_id).state == "renewed" and new.ends_on > new.starts_on
            new_id = new.id
        page.goto(f"/insurance/policy/{old_id}")
        expect(page.locator(".insurance-renewed-by")).to_contain_text("AS-")
        expect(page.locator("a.insurance-renew")).to_have_count(0)

    with open_page(browser, live_server.url, **PHONE) as phone:
        sign_in(phone, "sara")
        phone.goto(f"/insurance/policy/{new_id}")
        expect(phone.locator(".insurance-renews")).to_be_visible()
        no_sideways_scroll(phone)
        shot(phone, tmp_path, "insurance-policy-390.png")
        phone.goto("/insurance/policy/")
        no_sideways_scroll(phone)
        shot(phone, tmp_path, "insurance-list-390.png")
        phone.goto("/insurance/policy/new")
        expect(phone.locator("input[name=number]")).to_be_visible()
        no_sideways_scroll(phone)
        shot(phone, tmp_path, "insurance-form-390.png")
