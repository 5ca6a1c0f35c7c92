"""Browser smoke test: the real app under uvicorn, driven by headless Chromium (Playwright).

One Persian user's journey: log in, create a note with a Persian title (ZWNJ), an amount in
Persian digits and a Jalali date (through the picker too), see a bad date refused beside its
field, find the note by Arabic-keyboard or ZWNJ-less spellings, switch language both ways.

Set ``PEYVAND_UPDATE_SCREENSHOT=1`` to (re)write ``docs/screenshot.png`` from the list page.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import sign_in
from playwright.sync_api import expect
from sqlalchemy import func, select

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
TITLE = "یادداشت آزمایشی\u200cها"
AMOUNT = "۱۲٬۵۰۰٬۰۰۰"
DUE = "۱۴۰۵/۰۹/۰۱"
BAD_DUE = "۱۴۰۴/۱۲/۳۰"  # 1404 is not a leap year: Esfand has 29 days
LIST = "/notes/note/"


def note_model() -> Any:
    from peyvand_notes.models import Note

    return Note


def count_notes(kernel: Any) -> int:
    Note = note_model()
    with kernel.session() as s:
        return int(s.scalar(select(func.count()).select_from(Note)) or 0)


def add_notes(kernel: Any, rows: list[tuple[str, int | None, dt.date | None, str]]) -> None:
    """Other records, straight into the database (what the browser does is tested elsewhere)."""
    from kernel.records import refresh_search_key

    Note = note_model()
    res = kernel.resources["notes.note"]
    with kernel.session() as s:
        for title, amount, due, kind in rows:
            obj = Note(title=title, amount=amount, due=due, kind=kind)
            refresh_search_key(res, obj)
            s.add(obj)


def login(page: Any, server: Any) -> None:
    sign_in(page, server.username, server.password)


def expect_lang(page: Any, lang: str, direction: str) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", direction)


def search_list(page: Any, text: str) -> Any:
    box = page.locator("form.filters input[name=q]")
    box.fill(text)
    with page.expect_navigation():
        box.press("Enter")
    return page.locator("table.grid tbody tr[data-href]")


def test_persian_note_journey(page: Any, live_server: Any) -> None:
    add_notes(live_server.kernel, [("قرارداد پشتیبانی سالانه", 48_000_000, dt.date(2026, 12, 1), "plain")])
    login(page, live_server)
    expect_lang(page, "fa", "rtl")

    page.goto(LIST)
    expect_lang(page, "fa", "rtl")
    page.click('[data-shortcut="n"]')
    expect(page).to_have_url(re.compile(r"/notes/note/new$"))

    # The Jalali picker: ArrowDown in the empty input opens it, Escape closes it; so does the button.
    due = page.locator("#f-due")
    due.focus()
    due.press("ArrowDown")
    popup = page.locator(".pj-popup[role=dialog]")
    expect(popup).to_be_visible()
    expect(popup).to_have_attribute("dir", "rtl")
    assert popup.locator(".pj-day").count() >= 29
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    page.locator(".field:has(#f-due) .pj-toggle").click()
    expect(popup).to_be_visible()
    page.locator(".pj-popup .pj-close").click()
    expect(popup).to_have_count(0)

    page.fill("#f-title", TITLE)
    page.fill("#f-amount", AMOUNT)
    page.fill("#f-due", BAD_DUE)
    page.select_option("#f-kind", "plain")

    # A date that does not exist: the form comes back with the error beside the date field.
    page.click("form.record-form button[type=submit]")
    field = page.locator(".field.has-error:has(#f-due)")
    expect(field.locator(".field-error")).to_be_visible()
    expect(page.locator(".field.has-error")).to_have_count(1)
    expect(page.locator("#f-title")).to_have_value(TITLE)
    assert count_notes(live_server.kernel) == 1, "a note was saved although its date was wrong"

    page.fill("#f-due", DUE)
    page.click("form.record-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/notes/note/\d+$"))
    record = page.locator("dl.record")
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(record).to_contain_text(AMOUNT)
    expect(record).to_contain_text(DUE)
    assert count_notes(live_server.kernel) == 2

    # Search: Arabic-keyboard ي, and the compound typed without its ZWNJ, both find it.
    page.goto(LIST)
    for typed in ("آزمايشي", "آزمایشیها", "يادداشت آزمايشيها"):
        rows = search_list(page, typed)
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(TITLE)
    expect(search_list(page, "ناموجود")).to_have_count(0)


def test_language_switch(page: Any, live_server: Any) -> None:
    login(page, live_server)
    page.goto(LIST)
    expect_lang(page, "fa", "rtl")
    page.click("[data-lang-switch]")
    expect_lang(page, "en", "ltr")
    expect(page).to_have_url(re.compile(re.escape(LIST) + "$"))
    expect(page.locator("[data-lang-switch]")).to_have_text("فارسی")
    page.click("[data-lang-switch]")
    expect_lang(page, "fa", "rtl")
    expect(page.locator("[data-lang-switch]")).to_have_text("English")


def test_list_page_screenshot(page: Any, live_server: Any, tmp_path: Path) -> None:
    add_notes(live_server.kernel, [
        ("پیگیری سفارش شرکت پارس‌تلفن", 12_500_000, dt.date(2026, 11, 22), "plain"),
        ("تمدید قرارداد پشتیبانی", 48_000_000, dt.date(2026, 12, 21), "plain"),
        ("تماس با آقای رضایی درباره‌ی پیش‌فاکتور", 3_750_000, dt.date(2026, 11, 25), "plain"),
        ("ارسال نمونه‌ی کالا به اصفهان", None, dt.date(2027, 1, 5), "plain"),
        ("جلسه با خانم کریمی", 0, None, "secret"),
        ("تسویه‌حساب فصل پاییز", 125_000_000, dt.date(2026, 12, 20), "plain"),
        ("نصب دستگاه کارت‌خوان شعبه‌ی ۲", 9_800_000, dt.date(2027, 2, 10), "plain"),
    ])
    login(page, live_server)
    page.goto(LIST)
    expect(page.locator("table.grid tbody tr[data-href]")).to_have_count(7)
    page.evaluate("document.fonts.ready")
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Vazirmatn" in family, family
    assert page.evaluate("document.fonts.check('16px Vazirmatn', 'سلام ۱۲۳')"), "Vazirmatn did not load"
    shot = tmp_path / "screenshot.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("PEYVAND_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(shot, ROOT / "docs" / "screenshot.png")
