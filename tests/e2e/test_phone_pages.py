"""Every page usable on a phone (KER-20): at 390 × 844 px the list, a form, a record page, the
360° profile, the dashboard, the work queue and the search results have no horizontal overflow,
and their main action is visible and clickable — not covered by the alarm tray.

Screenshots go to ``$PEYVAND_SHOTS`` when it is set (to look at them), else to pytest's tmp dir.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LiveServer, open_page, serving, sign_in
from playwright.sync_api import expect

from kernel.testing import create_record, create_user

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PERMS = ("base.partner.*", "base.communication.*", "base.province.view", "base.city.*", "tasks.task.*",
         "kernel.reminder.*")


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    """Tier 2 with a partner, an overdue task for Sara (the work queue has rows) and an unseen
    alarm (the tray is showing on every page)."""
    from kernel.reminders.models import Alarm

    kernel = make_kernel(edition="tier2")
    sara = create_user(kernel, "sara", perms=PERMS)
    partner = create_record(kernel, sara, "base.partner", kind="company", name="شرکت بازرگانی نوین پخش البرز",
                            mobile="+989121234567", phone="+982188776655")  # Python values: canonical
    create_record(kernel, sara, "base.communication", partner_id=partner, kind="call", subject="پیگیری پیش‌فاکتور",
                  started_at=dt.datetime(2026, 11, 20, 7, 0), result="قرار شد تا هفتهٔ بعد خبر بدهند")
    # A subject without a space to break at: the profile's communications table scrolls in its
    # frame instead of widening the page (it did, to 405 px, with a long "position then").
    create_record(kernel, sara, "base.communication", partner_id=partner, kind="call",
                  subject="پیگیری-پیش‌فاکتور-شمارهٔ-۱۴۰۵۰۹۱۵۱۷۳۹-و-قرارداد-نصب",
                  started_at=dt.datetime(2026, 11, 21, 7, 0))
    create_record(kernel, sara, "tasks.task", title="تماس دوباره با مدیر خرید دربارهٔ پیش‌فاکتور شمارهٔ ۱۲۳۴",
                  partner_id=partner, assignee_id=sara, due_at=dt.datetime(2026, 11, 1, 6, 30))
    # A title without a space to break at (a reference number, a pasted address): it must wrap,
    # not widen the work queue past the screen.
    create_record(kernel, sara, "tasks.task", title="پیش‌فاکتور-شمارهٔ-۱۴۰۵۰۹۱۵۱۷۳۹-شرکت‌بازرگانی‌نوین‌پخش‌البرز",
                  partner_id=partner, assignee_id=sara, due_at=dt.datetime(2026, 11, 2, 6, 30))
    with kernel.session() as s:
        s.add(Alarm(user_id=sara, kind="reminder", title="تمدید بیمه‌نامهٔ دفتر مرکزی و انبار شمارهٔ دو",
                    url="/tasks/alarms", due_at=dt.datetime(2026, 11, 1, 6, 30)))
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="sara")


@pytest.fixture
def phone(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    with open_page(browser, live_server.url, viewport=PHONE, has_touch=True, is_mobile=True,
                   device_scale_factor=1) as p:
        yield p


def shots_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("PEYVAND_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def check(page: Any, path: str, action: str, shots: Path, name: str) -> None:
    page.goto(path)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    assert width <= PHONE["width"], f"{path}: the page is {width} px wide on a {PHONE['width']} px screen"
    target = page.locator(action).first
    expect(target).to_be_visible()
    # A trial click checks that the element itself would receive the click (nothing lies over it).
    target.click(trial=True)


def test_every_page_fits_a_phone(phone: Any, live_server: Any, tmp_path: Path) -> None:
    shots = shots_dir(tmp_path)
    sign_in(phone, "sara")
    expect(phone.locator("[data-alarm-tray]")).to_be_visible()
    partner = "1"
    check(phone, "/", "[data-toggle-menu]", shots, "dashboard")
    check(phone, "/base/partner/", "main .page-head a.primary", shots, "list")
    check(phone, "/base/partner/new", "form.record-form button[type=submit]", shots, "form")
    check(phone, "/base/communication/new", "form.record-form button[type=submit]", shots, "form-communication")
    check(phone, f"/base/partner/{partner}", ".page-head [data-record-menu]", shots, "record")
    check(phone, f"/base/partner/{partner}/profile", "main a.button:visible, main button:visible", shots, "profile")
    check(phone, "/tasks/kartable", "main h1", shots, "kartable")
    check(phone, "/search?q=البرز", "main a[href^='/base/partner/']", shots, "search")
    # The menu opens as a drawer and its entries can be tapped.
    phone.goto("/tasks/kartable")
    phone.locator("[data-toggle-menu]").tap()
    expect(phone.locator("nav.sidebar")).to_be_visible()
    phone.locator("nav.sidebar a[href='/base/communication/']").click(trial=True)
    phone.screenshot(path=str(shots / "drawer.png"))
    # Saving a form really works with the tray showing.
    phone.goto("/base/partner/new")
    phone.select_option("#f-kind", "company")
    phone.fill("#f-name", "شرکت کویر")
    phone.locator("form.record-form button[type=submit]").click()
    expect(phone).to_have_url(f"{live_server.url}/base/partner/2")


# The rectangles the alarm tray lies over (none: it is in the flow, above the page).
COVERED = """() => {
  const tray = document.querySelector('[data-alarm-tray]');
  if (!tray || tray.hidden) return ['no tray showing'];
  const t = tray.getBoundingClientRect();
  const hit = (r) => r.width && r.height && r.left < t.right && r.right > t.left && r.top < t.bottom && r.bottom > t.top;
  return Array.from(document.querySelectorAll(
      'main .page-head, main table tr, main .field, main .form-actions button, main .queue-part, main dl.record'))
    .filter((el) => !tray.contains(el) && hit(el.getBoundingClientRect()))
    .map((el) => el.tagName + '.' + el.className);
}"""
PAGES = ("/base/partner/", "/base/partner/new", "/base/partner/1", "/tasks/kartable")


def assert_tray_covers_nothing(page: Any, path: str) -> None:
    page.goto(path)
    for scroll in ("0", "document.documentElement.scrollHeight"):
        page.evaluate(f"window.scrollTo(0, {scroll})")
        assert page.evaluate(COVERED) == [], f"{path}: the alarm tray lies over content"
    page.locator("[data-alarm-tray] summary").click()  # opened, it pushes the page down
    assert page.evaluate(COVERED) == [], f"{path}: the opened alarm tray lies over content"


def test_the_alarm_tray_covers_nothing_on_a_phone(phone: Any, live_server: Any, tmp_path: Path) -> None:
    sign_in(phone, "sara")
    for path in PAGES:
        assert_tray_covers_nothing(phone, path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path}: {width} px wide"
    phone.screenshot(path=str(shots_dir(tmp_path) / "tray-open.png"), full_page=True)
    # A real click (not a trial) on Save, with the tray showing, saves.
    phone.goto("/base/partner/new")
    phone.select_option("#f-kind", "person")
    phone.fill("#f-last_name", "کریمی")
    phone.locator("form.record-form button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/base/partner/\d+$"))


def test_the_alarm_tray_covers_nothing_on_a_desktop(browser: Any, live_server: Any, tmp_path: Path) -> None:
    with open_page(browser, live_server.url) as page:
        sign_in(page, "sara")
        for path in PAGES:
            assert_tray_covers_nothing(page, path)
        page.goto("/tasks/kartable")
        page.screenshot(path=str(shots_dir(tmp_path) / "kartable-desktop.png"), full_page=True)
        # Each card holds its table, and a title cell is wide enough for words, not one a line.
        for part in page.locator(".queue-part:has(table)").all():
            card = part.evaluate("(el) => el.getBoundingClientRect().width")
            table = part.locator("table").evaluate("(el) => el.getBoundingClientRect().width")
            assert table <= card, f"a table of {table} px in a card of {card} px"
            assert part.locator("td").first.evaluate("(el) => el.getBoundingClientRect().width") >= 150


def test_a_refused_save_on_a_phone_shows_its_errors_at_the_top(phone: Any, live_server: Any,
                                                                tmp_path: Path) -> None:
    sign_in(phone, "sara")
    phone.goto("/base/partner/new")
    phone.select_option("#f-kind", "person")
    phone.fill("#f-mobile", "12")
    phone.locator("form.record-form button[type=submit]").click()
    summary = phone.locator("[data-error-summary]")
    expect(summary).to_be_in_viewport()
    expect(summary).to_be_focused()
    phone.screenshot(path=str(shots_dir(tmp_path) / "errors.png"))
    summary.locator("a[href='#f-mobile']").click()
    expect(phone.locator("#f-mobile")).to_be_focused()
    expect(phone.locator("#f-mobile")).to_be_in_viewport()
