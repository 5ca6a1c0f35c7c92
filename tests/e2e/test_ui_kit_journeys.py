"""Keyboard and mouse journeys of issue 8 in Chromium, tier 2, in Persian: a snippet saved on one
communication and picked on another with the keyboard (KER-14); the context menu of a partner row
(KER-17a); a new city added in place from the partner form (KER-17b); "?" and the keyboard map
(KER-17c); the session side bar (KER-13)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from conftest import LiveServer, serving, sign_in
from playwright.sync_api import expect

from kernel.testing import create_record, create_user

pytestmark = pytest.mark.browser

PERMS = ("base.partner.*", "base.communication.*", "base.city.*", "base.province.view", "tasks.task.*")
SNIPPET = "پیش‌فاکتور را دیدند؛ تا پایان هفته با مدیر خرید هماهنگ و خبر می‌دهند."


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    kernel = make_kernel(edition="tier2")
    create_user(kernel, "sara", perms=PERMS)
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="sara")


def shot(page: Any, name: str) -> None:
    """A screenshot to look at, when ``$PEYVAND_SHOTS`` names a folder."""
    if os.environ.get("PEYVAND_SHOTS"):
        page.screenshot(path=os.path.join(os.environ["PEYVAND_SHOTS"], f"{name}.png"))


def login(page: Any) -> None:
    sign_in(page, "sara")


def new_call(page: Any, partner: int, subject: str) -> None:
    query = urlencode({"partner_id": partner, "kind": "call", "subject": subject, "started_at": "1405/09/01 10:30"})
    page.goto(f"/base/communication/new?{query}")


def test_a_snippet_saved_on_one_communication_is_picked_on_another_with_the_keyboard(page: Any, live_server: Any) -> None:
    partner = create_record(live_server.kernel, None, "base.partner", kind="company", name="شرکت البرز")
    login(page)
    new_call(page, partner, "تماس اول")
    area = page.locator("#f-result")
    area.fill(SNIPPET)
    area.press("Shift+F2")
    title = page.locator(".snippet-save input[type=text]")
    expect(title).to_be_focused()
    title.fill("پیش‌فاکتور دیده شد")
    shot(page, "snippet-save")
    title.press("Enter")
    expect(page.locator(".snippet-tools [role=status]")).to_have_text("متن آماده ذخیره شد")
    page.click("form.record-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/base/communication/\d+$"))

    new_call(page, partner, "تماس دوم")
    area = page.locator("#f-result")
    area.fill("خلاصه: ")
    area.press("End")
    area.press("F2")
    search = page.locator(".snippet-picker input[type=search]")
    expect(search).to_be_focused()
    expect(page.locator(".snippet-option")).to_have_count(1)
    search.type("فاکتور")
    expect(page.locator(".snippet-option[aria-selected=true] b")).to_have_text("پیش‌فاکتور دیده شد")
    shot(page, "snippet-pick")
    search.press("Enter")
    expect(area).to_have_value("خلاصه: " + SNIPPET)
    expect(area).to_be_focused()
    page.click("form.record-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/base/communication/\d+$"))
    expect(page.locator("dl.record")).to_contain_text("با مدیر خرید")


def test_the_context_menu_of_a_partner_row_opens_a_new_communication_for_it(page: Any, live_server: Any) -> None:
    kernel = live_server.kernel
    create_record(kernel, None, "base.partner", kind="company", name="شرکت دماوند")
    alborz = create_record(kernel, None, "base.partner", kind="company", name="شرکت البرز")
    login(page)
    page.goto("/base/partner/")
    row = page.locator("tr[data-href]", has_text="شرکت البرز")
    # The keyboard: the row's link, then Shift+F10; arrows move, Escape closes.
    row.get_by_role("link", name="شرکت البرز").focus()
    page.keyboard.press("Shift+F10")
    menu = row.locator("[role=menu]")
    expect(menu).to_be_visible()
    expect(menu.locator("a").first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(menu.locator("a").nth(1)).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    # The mouse: right-click on the row, then the entry.
    row.locator("td").nth(3).click(button="right")
    expect(menu).to_be_visible()
    expect(menu).to_contain_text("وظیفهٔ جدید")
    shot(page, "row-menu")
    menu.get_by_role("menuitem", name=re.compile("ارتباط جدید")).click()
    expect(page).to_have_url(re.compile(rf"/base/communication/new\?partner_id={alborz}$"))
    expect(page.locator("#f-partner_id option:checked")).to_have_text("شرکت البرز")
    # The "⋮" button (touch screens) on the record page has the same entries.
    page.goto(f"/base/partner/{alborz}")
    page.click(".page-head [data-record-menu]")
    page.get_by_role("menuitem", name="تاریخچه").click()
    expect(page).to_have_url(re.compile(rf"/base/partner/{alborz}#history$"))


def test_a_new_city_is_added_in_place_from_the_partner_form(page: Any, live_server: Any) -> None:
    province = create_record(live_server.kernel, None, "base.province", name="سمنان", name_en="Semnan", area_code="23")
    login(page)
    page.goto("/base/partner/new")
    page.select_option("#f-kind", "company")
    page.fill("#f-name", "شرکت کویر")
    page.select_option("#f-province_id", str(province))
    page.click("[data-quick-add-for=f-city_id]")
    dialog = page.locator("dialog.quick-add-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#qa-province_id")).to_have_value(str(province))  # taken from the form
    expect(dialog.locator("#qa-name")).to_be_focused()
    expect(dialog.locator("#qa-name")).to_have_value("")  # the partner's name is not the city's
    dialog.locator("button[type=submit]").click()
    expect(dialog.locator(".field-error")).to_have_text("پر کردن این فیلد الزامی است")
    shot(page, "quick-add")
    dialog.locator("#qa-name").fill("شاهرود")
    dialog.locator("#qa-name").press("Enter")
    expect(dialog).to_have_count(0)
    expect(page.locator("#f-city_id option:checked")).to_have_text("شاهرود")
    page.click("form.record-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/base/partner/\d+$"))
    expect(page.locator("dl.record")).to_contain_text("شاهرود")


def test_question_mark_shows_the_keyboard_map_but_not_while_typing(page: Any, live_server: Any) -> None:
    login(page)
    search = page.locator("[data-live-search]")
    search.focus()
    page.keyboard.type("?")
    keymap = page.locator("dialog#keymap")
    expect(keymap).to_be_hidden()
    search.fill("")
    page.locator("main h1, main h2").first.click()
    page.keyboard.press("Shift+Slash")
    expect(keymap).to_be_visible()
    expect(keymap.locator(".keys div", has_text="F9")).to_contain_text("ارتباط جدید")
    expect(keymap).to_contain_text("برداشتن متن آماده")
    shot(page, "keymap")
    page.keyboard.press("Escape")
    expect(keymap).to_be_hidden()


def test_the_session_side_bar_returns_to_a_record(page: Any, live_server: Any) -> None:
    alborz = create_record(live_server.kernel, None, "base.partner", kind="company", name="شرکت البرز")
    login(page)
    page.goto(f"/base/partner/{alborz}")
    page.goto("/base/communication/new")
    page.goto("/base/partner/")
    bar = page.locator("[data-recent]")
    expect(bar.locator("li")).to_have_count(2)
    shot(page, "session-bar")
    expect(bar.locator("li").first).to_have_text("افزودن ارتباط")
    bar.get_by_role("link", name="شرکت البرز").click()
    expect(page).to_have_url(re.compile(rf"/base/partner/{alborz}$"))
    # Folding it is remembered from page to page.
    toggle = page.locator("[data-recent-toggle]")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    page.reload()
    expect(page.locator("#recent-list")).to_be_hidden()
    page.locator("[data-recent-toggle]").click()
    expect(page.locator("#recent-list")).to_be_visible()
