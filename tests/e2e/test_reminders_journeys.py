"""Reminders and alarms in an edition without the tasks module (tier 1), in Chromium, in Persian:
a reminder made from a partner's page comes back to it, rings in the tray at its time, opens the
partner, shows on the dashboard and is dismissed (KER-11, KER-21)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import LiveServer, serving, sign_in
from playwright.sync_api import expect

from kernel.persian.jalali import format_jalali, jalali_to_date, to_jalali
from kernel.testing import create_record, create_user
from kernel.timezone import local_today, to_local, to_utc

pytestmark = pytest.mark.browser

TZ = "Asia/Tehran"
REMINDER = "تماس برای تمدید قرارداد هتل"


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    kernel = make_kernel(edition="tier1")
    create_user(kernel, "sara", perms=("kernel.reminder.*", "base.partner.*", "kernel.daily_report.view"))
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="sara")


def test_a_reminder_from_a_partners_page_rings_without_tasks(page: Any, live_server: Any, tmp_path: Any) -> None:
    from sqlalchemy import select

    from kernel.jobs import run_due
    from kernel.models import User

    k = live_server.kernel
    assert "tasks" not in k.module_names
    with k.sessions() as s:
        uid = s.scalars(select(User.id).where(User.username == "sara")).one()
    pid = create_record(k, uid, "base.partner", kind="company", name="هتل رایان")
    j = to_jalali(local_today(TZ))
    y, m = (j.year + 1, 1) if j.month == 12 else (j.year, j.month + 1)
    due = to_utc(dt.datetime.combine(jalali_to_date(y, m, 5), dt.time(10, 30)), TZ)

    sign_in(page, "sara")
    page.goto(f"/base/partner/{pid}")
    panel = page.locator("[data-record-reminders]")
    expect(panel).to_contain_text("یادآوری‌ها")
    panel.locator("a", has_text="یادآوری جدید").click()
    expect(page.locator("#f-link_resource")).to_have_value("base.partner")
    page.fill("#f-title", REMINDER)
    page.fill("#f-first_at", format_jalali(to_local(due, TZ), "fa", "datetime"))
    page.click("form.record-form button[type=submit]")
    # Back on the partner's page, which lists the reminder.
    expect(page).to_have_url(re.compile(rf"/base/partner/{pid}$"))
    expect(panel).to_contain_text(REMINDER)
    page.screenshot(path=str(tmp_path / "partner-reminders.png"), full_page=True)

    tray = page.locator("[data-alarm-tray]")
    expect(tray).to_be_hidden()
    run_due(k, now=due + dt.timedelta(seconds=40))
    page.goto("/")
    expect(tray).to_be_visible()
    expect(page.locator('[data-block="kernel.alarms"]')).to_contain_text(REMINDER)
    page.screenshot(path=str(tmp_path / "dashboard-alarm.png"), full_page=True)
    tray.locator("summary").click()  # folded to one line above the page until opened
    tray.locator("a", has_text=REMINDER).click()
    expect(page).to_have_url(re.compile(rf"/base/partner/{pid}$"))
    tray.locator("summary").click()
    tray.locator("li", has_text=REMINDER).locator("button", has_text="✕").click()
    expect(tray).to_be_hidden()
    page.reload()
    expect(tray).to_be_hidden()
    page.goto("/alarms")
    expect(page.locator("table.grid tbody tr", has_text=REMINDER)).to_have_count(1)
