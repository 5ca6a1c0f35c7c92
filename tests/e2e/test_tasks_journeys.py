"""Journeys through the tasks module (tier 2) in Chromium, in Persian: a task referred to a
colleague who logs a call on it and completes it, and a monthly reminder whose alarms ring on
the 1st of each Jalali month (the clock driven through the job runner)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import LiveServer, serving, sign_in
from playwright.sync_api import expect

from kernel.persian.jalali import format_jalali, jalali_to_date, month_name, to_jalali
from kernel.testing import create_record, create_user
from kernel.timezone import local_today, to_local, to_utc

pytestmark = pytest.mark.browser

PERMS = ("tasks.task.*", "kernel.reminder.*", "base.partner.*", "base.communication.*")
TZ = "Asia/Tehran"
TASK = "پیگیری پیش‌فاکتور شرکت البرز"
CALL = "تماس با مدیر خرید دربارهٔ پیش‌فاکتور"
REMINDER = "تمدید بیمه‌نامهٔ دفتر"


@pytest.fixture
def live_server(make_kernel: Callable[..., Any]) -> Iterator[LiveServer]:
    """Tier 2 (base + tasks) under uvicorn; Sara and Reza sell in one team (scope "team")."""
    kernel = make_kernel(edition="tier2")
    create_user(kernel, "sara", perms=PERMS, scope="team", team="sales")
    create_user(kernel, "reza", perms=PERMS, scope="team", team="sales")
    with serving(kernel) as url:
        yield LiveServer(url=url, kernel=kernel, username="sara")


def login(page: Any, username: str) -> None:
    sign_in(page, username)


def logout(page: Any) -> None:
    page.click("form[action='/logout'] button")
    expect(page.locator("form.login")).to_be_visible()


def partner_of(kernel: Any, username: str, name: str) -> int:
    """A partner created by ``username`` (so the team sees it); the partner form is tested elsewhere."""
    from sqlalchemy import select

    from kernel.models import User

    with kernel.sessions() as s:
        uid = s.scalars(select(User.id).where(User.username == username)).one()
    return create_record(kernel, uid, "base.partner", kind="company", name=name)


def fa(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def pick_datetime(page: Any, field: str, day: dt.date, hour_minute: str) -> None:
    """Through the Jalali picker: open it, set the time, move to the month, click the day."""
    page.locator(f".field:has(#f-{field}) .pj-toggle").click()
    popup = page.locator(".pj-popup[role=dialog]")
    expect(popup).to_be_visible()
    popup.locator("input.pj-time").fill(hour_minute)
    j = to_jalali(day)
    title = f"{month_name(j.month, 'fa')} {fa(str(j.year))}"
    for _ in range(3):
        if popup.locator(".pj-title").inner_text() == title:
            break
        popup.locator(".pj-next").click()
    expect(popup.locator(".pj-title")).to_have_text(title)
    popup.locator(f".pj-day[data-day='{j.day}']").click()
    expect(popup).to_have_count(0)


def test_task_referred_logged_and_completed(page: Any, live_server: Any) -> None:
    k = live_server.kernel
    company = partner_of(k, "sara", "شرکت پخش البرز")
    tomorrow = local_today(TZ) + dt.timedelta(days=1)
    due_text = format_jalali(tomorrow, "fa") + " ۱۰:۰۰"

    # Sara: from the partner's page, a new task due tomorrow at 10:00, referred to Reza.
    login(page, "sara")
    page.goto(f"/base/partner/{company}")
    page.click("[data-record-tasks] a[href^='/tasks/task/new']")
    expect(page).to_have_url(re.compile(r"/tasks/task/new\?partner_id=\d+&next="))
    page.fill("#f-title", TASK)
    page.select_option("#f-priority", "high")
    pick_datetime(page, "due_at", tomorrow, "10:00")
    expect(page.locator("#f-due_at")).to_have_value(due_text)
    page.select_option("#f-assignee_id", label="Reza")
    page.click("form.record-form button[type=submit]")
    # Back on the partner's page, which now lists the task; open it from there.
    expect(page).to_have_url(re.compile(rf"/base/partner/{company}$"))
    page.locator("[data-record-tasks] a", has_text=TASK).click()
    expect(page).to_have_url(re.compile(r"/tasks/task/\d+$"))
    task_url = page.url.removeprefix(live_server.url)
    record = page.locator("dl.record")
    expect(page.locator("h1")).to_have_text(TASK)
    expect(record).to_contain_text(due_text)
    expect(record).to_contain_text("شرکت پخش البرز")
    expect(record).to_contain_text("Reza")
    logout(page)

    # Reza: the referral rings; his work queue (menu "کارتابل") lists it; he opens it.
    login(page, "reza")
    tray = page.locator("[data-alarm-tray]")
    expect(tray).to_be_visible()
    expect(tray).to_contain_text(TASK)
    # Due tomorrow, it is not in the count of today's tasks beside "کارتابل"; the unseen referral
    # is counted beside "هشدارها". The work queue lists it among the coming tasks and the alarms.
    expect(page.locator("nav.sidebar a", has_text="هشدارها").locator(".badge")).to_have_text("۱")
    page.locator("nav.sidebar a", has_text="کارتابل").click()
    expect(page).to_have_url(re.compile(r"/tasks/kartable$"))
    expect(page.locator("h1")).to_have_text("کارتابل")
    expect(page.locator("[data-part=alarms]")).to_contain_text(TASK)
    coming = page.locator("[data-part=coming]")
    expect(coming.locator("h2")).to_contain_text("وظایف پیش رو")
    row = coming.locator("tr", has_text=TASK)
    expect(row).to_contain_text(due_text)
    expect(row).to_contain_text("شرکت پخش البرز")
    expect(row).to_contain_text("۰٪")
    row.locator("a", has_text=TASK).click()
    expect(page).to_have_url(re.compile(re.escape(task_url) + "$"))

    # He logs a call on it: the form comes prefilled and brings him back to the task.
    done = page.locator("[data-task-communications]")
    expect(done.locator("h2")).to_contain_text("آنچه انجام شد")
    done.locator("a", has_text="ثبت ارتباط").click()
    expect(page).to_have_url(re.compile(r"/base/communication/new\?"))
    expect(page.locator("#f-subject")).to_have_value(TASK)
    page.fill("#f-subject", CALL)
    page.click("form.record-form button[type=submit]")
    expect(page).to_have_url(re.compile(re.escape(task_url) + "$"))
    expect(done.locator("tbody tr")).to_have_count(1)
    expect(done).to_contain_text(CALL)
    expect(done.locator("h2")).to_contain_text("(۱)")

    # In the task list he types ۱۰۰ in its completion cell and confirms.
    page.click("nav.sidebar a[href='/tasks/task/']")  # "همهٔ وظایف"
    expect(page).to_have_url(re.compile(r"/tasks/task/$"))
    row = page.locator("table.grid tbody tr", has_text=TASK)
    cell = row.locator("input[data-inline-field=progress]")
    expect(cell).to_have_value("۰")
    cell.fill("۱۰۰")
    row.locator(".inline-edit button").click()
    expect(page).to_have_url(re.compile(r"/tasks/task/$"))
    expect(page.locator("table.grid tbody tr", has_text=TASK).locator("input[data-inline-field=progress]")
           ).to_have_value("۱۰۰")
    logout(page)

    # Sara: her sent tasks show it done, and the task shows the call.
    login(page, "sara")
    page.locator("nav.sidebar a", has_text="وظایف ارسالی").click()
    expect(page).to_have_url(re.compile(r"/tasks/task/\?f_referred_by_id=\d+$"))
    row = page.locator("table.grid tbody tr[data-href]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Reza")
    expect(row.locator("input[data-inline-field=progress]")).to_have_value("۱۰۰")
    row.locator("a", has_text=TASK).click()
    expect(page).to_have_url(re.compile(re.escape(task_url) + "$"))
    expect(page.locator("dl.record dt:has-text('درصد تکمیل') + dd")).to_have_text("۱۰۰")
    expect(page.locator("[data-task-communications]")).to_contain_text(CALL)
    # Her work queue's "tasks I referred" marks it done.
    page.locator("nav.sidebar a", has_text="کارتابل").click()
    sent = page.locator("[data-part=sent] tr", has_text=TASK)
    expect(sent).to_contain_text("۱۰۰٪")
    expect(sent).to_contain_text("✓ انجام شد")


def first_of_next_months(n: int) -> list[dt.datetime]:
    """09:00 Tehran on the 1st of each of the next ``n`` Jalali months, as naive UTC."""
    j = to_jalali(local_today(TZ))
    out = []
    for i in range(1, n + 1):
        year, month = divmod(j.year * 12 + j.month - 1 + i, 12)
        out.append(to_utc(dt.datetime.combine(jalali_to_date(year, month + 1, 1), dt.time(9, 0)), TZ))
    return out


def test_monthly_reminder_rings_on_the_first_of_each_jalali_month(page: Any, live_server: Any, tmp_path: Any) -> None:
    from kernel.jobs import run_due

    k = live_server.kernel
    first, second = first_of_next_months(2)
    first_text = format_jalali(to_local(first, TZ), "fa", "datetime")  # ۱۴۰۵/۱۰/۰۱ ۰۹:۰۰

    login(page, "sara")
    page.goto("/kernel/reminder/new")
    expect(page.locator("#f-active")).to_be_checked()
    page.fill("#f-title", REMINDER)
    page.fill("#f-first_at", first_text)
    page.select_option("#f-repeat", label="هر ماه (همان روز ماه شمسی)")
    page.click("form.record-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/kernel/reminder/\d+$"))
    expect(page.locator("dl.record")).to_contain_text(first_text)
    tray = page.locator("[data-alarm-tray]")
    expect(tray).to_be_hidden()

    # The clock reaches the 1st of next month, 09:01: the alarm rings, once.
    run_due(k, now=first + dt.timedelta(minutes=1))
    page.reload()
    expect(tray).to_be_visible()
    items = tray.locator("li", has_text=REMINDER)
    expect(items).to_have_count(1)
    run_due(k, now=first + dt.timedelta(minutes=1))
    page.goto("/alarms")
    expect(page.locator("table.grid tbody tr", has_text=REMINDER)).to_have_count(1)
    expect(items).to_have_count(1)

    # A month later it rings again.
    run_due(k, now=second + dt.timedelta(minutes=1))
    page.reload()
    expect(items).to_have_count(2)
    expect(tray.locator("[data-alarm-count]")).to_have_text("۲")
    tray.locator("summary").click()  # folded to one line above the page until opened
    page.screenshot(path=str(tmp_path / "alarms-tray.png"))  # looked at by hand: the tray, above the page

    # Dismissed from the tray (✕): gone, and still gone after a reload.
    items.first.locator("button", has_text="✕").click()
    expect(items).to_have_count(1)
    expect(tray.locator("[data-alarm-count]")).to_have_text("۱")
    page.reload()
    expect(items).to_have_count(1)
