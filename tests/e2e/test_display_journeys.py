"""Issue 10 in a real browser at desktop width: a phone's groups in their written order on the
list and the record page, a Persian file input reachable by keyboard, and the picker's time box
in 24-hour time with Persian digits."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, serving
from playwright.sync_api import expect
from test_browser_smoke import login

from kernel.testing import create_record, create_user

pytestmark = pytest.mark.browser

# x of the first and of the last group of the first text on the page that contains both.
GROUP_X = """([first, last]) => {
  const walk = document.createTreeWalker(document.querySelector("main") || document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const i = n.data.indexOf(first), j = n.data.indexOf(last);
    if (i < 0 || j < 0) continue;
    const box = (at, len) => { const r = document.createRange(); r.setStart(n, at); r.setEnd(n, at + len);
                               return r.getBoundingClientRect().x; };
    return [box(i, first.length), box(j, last.length)];
  }
  return null;
}"""


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    kernel = make_kernel()
    admin = create_user(kernel, "admin", admin=True)
    create_record(kernel, admin, "base.partner", kind="company", name="شرکت نوین پخش",
                  mobile="+989121234567", phone="+982188776655")  # canonical, as a form saves it
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("PEYVAND_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_phone_groups_read_left_to_right_on_the_list_and_the_record_page(page: Any, live_server: Any,
                                                                          shots: Path) -> None:
    login(page, live_server)
    page.goto("/base/partner/")
    for first, last in (("۰۹۱۲", "۴۵۶۷"), ("۰۲۱", "۶۶۵۵")):
        xs = page.evaluate(GROUP_X, [first, last])
        assert xs and xs[0] < xs[1], (first, last, xs)
    page.screenshot(path=str(shots / "phones-list.png"))
    page.locator("a", has_text="شرکت نوین پخش").first.click()
    expect(page.locator("dl.record")).to_be_visible()
    xs = page.evaluate(GROUP_X, ["۰۹۱۲", "۴۵۶۷"])
    assert xs and xs[0] < xs[1], xs
    page.screenshot(path=str(shots / "phones-record.png"))


def test_file_input_in_persian_reached_by_keyboard_shows_the_chosen_name(page: Any, live_server: Any,
                                                                         shots: Path, tmp_path: Path) -> None:
    login(page, live_server)
    page.goto("/base/partner/")
    page.locator("a", has_text="شرکت نوین پخش").first.click()
    label = page.locator("label[for=attach-file]")
    expect(label).to_have_text("انتخاب فایل")
    expect(label).to_be_visible()
    attach = page.locator("form[action='/attachments'] button", has_text="پیوست")
    attach.focus()
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "attach-file"
    label.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "file-input-focused.png"))
    quote = tmp_path / "پیش‌فاکتور.txt"
    quote.write_text("۱۲۳", encoding="utf-8")
    page.set_input_files("#attach-file", str(quote))
    expect(page.locator("[data-file-pick] [data-file-name]")).to_have_text("پیش‌فاکتور.txt")
    page.screenshot(path=str(shots / "file-input-chosen.png"))
    attach.click()
    expect(page.locator("section", has_text="پیش‌فاکتور.txt").first).to_be_visible()


def test_the_picker_time_box_is_24_hour_with_persian_digits(page: Any, live_server: Any, shots: Path) -> None:
    login(page, live_server)
    page.goto("/base/communication/new")
    page.locator(".field:has(#f-started_at) .pj-toggle").click()
    time = page.locator(".pj-popup input.pj-time")
    expect(time).to_have_value("۰۹:۰۰")
    time.scroll_into_view_if_needed()
    page.locator(".pj-popup").screenshot(path=str(shots / "picker-time.png"))
    time.fill("14:30")
    page.locator(".pj-popup .pj-day[data-day='10']").click()
    expect(page.locator("#f-started_at")).to_have_value(re.compile("۱۰ ۱۴:۳۰$"))
