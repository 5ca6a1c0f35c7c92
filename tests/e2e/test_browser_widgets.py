"""Live widgets in a real browser: picking a referenced record by typing, and the global search."""

from typing import Any

import pytest
from playwright.sync_api import expect
from test_browser_smoke import login

from kernel.demo import load_demo
from kernel.web import refs

pytestmark = pytest.mark.browser


def test_reference_picked_by_typing_and_saved(page: Any, live_server: Any, monkeypatch: Any) -> None:
    load_demo(live_server.kernel)  # 31 provinces
    monkeypatch.setattr(refs, "SELECT_MAX", 10)  # as if the target were too large for a drop-down
    login(page, live_server)
    page.goto("/notes/note/new")
    page.fill("#f-title", "یادداشت استانی")
    box = page.locator("#f-province_id")
    box.fill("اصفه")
    choice = page.locator(".ref-results button", has_text="اصفهان")
    expect(choice).to_be_visible()
    choice.click()
    expect(box).to_have_value("اصفهان")
    page.click("form.record-form button[type=submit]")
    expect(page.locator("dl.record")).to_contain_text("اصفهان")
    page.goto(page.url + "/edit")
    expect(page.locator("#f-province_id")).to_have_value("اصفهان")  # the title, not the id


def test_top_bar_search_shows_results_while_typing(page: Any, live_server: Any) -> None:
    from modules.base.models import Partner

    with live_server.kernel.session() as s:
        s.add_all([Partner(kind="company", name="فرش کرمان‌بافت", mobile="+989131112233"),
                   Partner(kind="person", first_name="نرگس", last_name="شیرازی")])
    login(page, live_server)
    box = page.locator("[data-live-search]")
    box.fill("كرمانبافت")  # Arabic kaf, no ZWNJ: as typed on an Arabic keyboard
    hits = page.locator(".live-results a")
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("فرش کرمان‌بافت")
    box.fill("۰۹۱۳ ۱۱۱ ۲۲۳۳")  # the mobile, in Persian digits with spaces
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("فرش کرمان‌بافت")


def test_the_person_spoken_to_is_searched_among_the_chosen_partners_personnel(page: Any, live_server: Any) -> None:
    from kernel.testing import create_record

    k = live_server.kernel
    aria = create_record(k, None, "base.partner", kind="company", name="صنایع آریا")
    kavir = create_record(k, None, "base.partner", kind="company", name="شرکت کویر")
    for company, last in ((aria, "احمدی"), (kavir, "کریمی")):
        person = create_record(k, None, "base.partner", kind="person", first_name="مریم", last_name=last)
        create_record(k, None, "base.employment", person_id=person, company_id=company)
    login(page, live_server)
    page.goto("/base/communication/new?started_at=1405/09/15 17:39")
    expect(page.locator("#f-started_at")).to_have_value("۱۴۰۵/۰۹/۱۵ ۱۷:۳۹")
    page.select_option("#f-partner_id", str(kavir))
    page.select_option("#f-kind", "call")
    page.fill("#f-subject", "پیش‌فاکتور")
    page.locator("#f-contact_id").fill("مریم")
    results = page.locator(".ref-results button")
    expect(results).to_have_count(1)  # Maryam Ahmadi works at Aria, not at Kavir
    expect(results.first).to_have_text("مریم کریمی")
    results.first.click()
    page.click("form.record-form button[type=submit]")
    expect(page.locator("dl.record")).to_contain_text("مریم کریمی")
