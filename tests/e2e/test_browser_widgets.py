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
    load_demo(live_server.kernel)
    login(page, live_server)
    page.locator("[data-live-search]").fill("كرمان")  # Arabic kaf, as typed on an Arabic keyboard
    hits = page.locator(".live-results a")
    expect(hits.first).to_be_visible()
    labels = sorted(hits.all_inner_texts())
    assert any(label.startswith("کرمان") for label in labels), labels
    assert any(label.startswith("کرمانشاه") for label in labels), labels
