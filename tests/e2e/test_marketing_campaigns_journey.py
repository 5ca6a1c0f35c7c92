"""A campaign through approval in Chromium, in Persian (issue 13's journey, MKT-01): a marketer
opens the partner list filtered to persons, makes a campaign for that list, adds an SMS step and
submits it; a manager signs in and approves it; the step runs ("run now"), the jobs hand its
messages to the local fake panel and poll its delivery reports, and the campaign's targets page
shows each target's delivery state. On a desktop and on a 390 px phone (nothing wider than the
screen). Screenshots go to ``$PEYVAND_SHOTS`` (else the test's temporary folder)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect
from test_phone_pages import PHONE, shots_dir

from kernel import utcnow
from kernel.jobs import run_due
from kernel.persian.jalali import format_jalali
from kernel.timezone import local_today

pytestmark = pytest.mark.browser


@pytest.fixture
def fake() -> Iterator[Any]:
    from modules.marketing.fake_panel import FakePanel, PanelState

    panel = FakePanel(PanelState()).start()
    yield panel
    panel.stop()


@pytest.fixture
def live_server(make_kernel: Callable[..., Any], fake: Any) -> Iterator[LiveServer]:
    from modules.marketing.testing import add_panel
    from modules.marketing.tests.campaigns_helpers import world
    from modules.marketing.tests.compose_helpers import marketing_kernel

    kernel = marketing_kernel(make_kernel)
    add_panel(kernel, fake)
    world(kernel)  # mina the marketer, reza the manager, Ali and Maryam (persons), a company
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="mina")


def narrow_enough(page: Any, name: str, shots: Path) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(shots / name), full_page=True)
    assert width <= PHONE["width"], f"{name}: the page is {width} px wide on a {PHONE['width']} px screen"


def test_a_campaign_is_planned_approved_and_its_sms_delivered(browser: Any, live_server: LiveServer,
                                                              tmp_path: Path) -> None:
    from modules.marketing.tests.compose_helpers import ADS, category

    kernel, shots = live_server.kernel, shots_dir(tmp_path)
    today = local_today(kernel.config.timezone)
    with open_page(browser, live_server.url) as page:
        sign_in(page, "mina")
        page.goto("/base/partner/?f_kind=person")
        page.locator("[data-campaign-list]").click()
        expect(page.locator("input[name=target_query]")).to_have_value("f_kind=person")
        page.fill("input[name=name]", "حراج پاییزه")
        page.fill("input[name=start_on]", format_jalali(today))
        page.fill("input[name=end_on]", format_jalali(today - dt.timedelta(days=1)))  # ends before it starts
        page.fill("input[name=budget]", "۵۰۰۰۰۰۰")
        page.locator("form button[type=submit].primary").first.click()
        expect(page.locator(".field-error")).to_contain_text("پایان طرح پیش از آغاز آن است")
        page.fill("input[name=end_on]", format_jalali(today + dt.timedelta(days=30)))
        page.locator("form button[type=submit].primary").first.click()
        expect(page.locator("[data-campaign-state]")).to_have_text("پیش‌نویس")
        campaign_url = page.url.split("?")[0].replace(live_server.url, "")
        page.locator("[data-add-step]").click()
        page.select_option("select[name=kind]", "sms")
        page.fill("input[name=on_date]", format_jalali(today))
        page.select_option("select[name=category_id]", str(category(kernel, ADS)))
        page.fill("textarea[name=body]", "{first_name} گرامی، حراج پاییزه از امروز آغاز شد")
        page.locator("form button[type=submit].primary").first.click()
        expect(page.locator(".field-error")).to_have_count(0)
        page.goto(campaign_url)
        page.locator("[data-move=submit]").click()
        expect(page.locator("[data-campaign-state]")).to_have_text("فرستاده برای تأیید")
        expect(page.locator("[data-move=approve]")).to_have_count(0)  # not the marketer's to approve
        page.screenshot(path=str(shots / "marketing-campaign-submitted.png"), full_page=True)

    with open_page(browser, live_server.url) as manager:
        sign_in(manager, "reza")
        manager.goto(campaign_url)
        manager.fill("#approve-note", "با بودجه موافقم")
        manager.locator("[data-move=approve]").click()
        expect(manager.locator("[data-campaign-state]")).to_have_text("تأییدشده")
        expect(manager.locator("[data-decision-note]")).to_contain_text("با بودجه موافقم")

    with open_page(browser, live_server.url) as page:
        sign_in(page, "mina")
        page.goto(campaign_url)
        page.locator("[data-run-step]").click()
        expect(page.locator("[data-campaign-state]")).to_have_text("در حال اجرا")
        now = utcnow()
        for minute in range(0, 40, 10):  # the worker: the batch to the panel, then its delivery reports
            run_due(kernel, now=now + dt.timedelta(minutes=minute))
        page.locator("[data-targets-link]").click()
        expect(page.locator("td[data-got=delivered]")).to_have_count(2)
        expect(page.locator("[data-total=reached]")).to_have_text("۲")
        page.screenshot(path=str(shots / "marketing-campaign-targets.png"), full_page=True)
        page.goto(campaign_url)
        page.screenshot(path=str(shots / "marketing-campaign.png"), full_page=True)

    with open_page(browser, live_server.url, viewport=PHONE, is_mobile=True) as phone:
        sign_in(phone, "mina")
        phone.goto(campaign_url)
        narrow_enough(phone, "marketing-campaign-phone.png", shots)
        phone.goto(f"{campaign_url}/targets")
        expect(phone.locator("td[data-got=delivered]")).to_have_count(2)
        narrow_enough(phone, "marketing-campaign-targets-phone.png", shots)
        phone.goto("/marketing/campaign_step/new?campaign_id=" + campaign_url.rsplit("/", 1)[1])
        narrow_enough(phone, "marketing-campaign-step-phone.png", shots)
