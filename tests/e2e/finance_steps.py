"""Steps the finance browser journeys share: the tier-4 world, a line typed in the line editor with the keyboard
only, and the F4 follow-up set for tomorrow and seen ringing in the work queue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from kernel.jobs import run_due
from kernel.persian.jalali import format_jalali
from kernel.persian.textnorm import to_persian_digits
from kernel.testing import create_record, create_user
from kernel.timezone import local_today, to_utc

# Sara's permissions in tier 4: the documents, their customers, her work queue and reminders.
PERMS = ("finance.*", "base.partner.*", "tasks.task.*", "kernel.reminder.*")


def tier4_with_a_customer(make_kernel: Callable[..., Any]) -> tuple[Any, int]:
    """Tier 4, Sara with ``PERMS``, and her customer «فرش کاشان» (``kernel.test_customer``)."""
    kernel = make_kernel(edition="tier4")
    sara = create_user(kernel, "sara", perms=PERMS)
    kernel.test_customer = create_record(kernel, sara, "base.partner", kind="company", name="فرش کاشان")
    return kernel, sara


def type_line(page: Any, search: str, quantity: str | None, discount: str | None = None,
              rial: bool = False) -> None:
    """One line with the keyboard only: the cursor is in the new row's product field."""
    # The editor's script is deferred: keys typed before it runs fire no search (seen on a fast
    # machine, one run in two), so the page has loaded — its scripts run — before anything is typed.
    page.wait_for_load_state("load")
    rows = page.locator(".ed-row[data-line]").count()
    page.keyboard.type(search)
    expect(page.locator(".ed-new .ed-options [role=option]").first).to_be_visible()
    page.keyboard.press("Enter")  # takes the highlighted product
    page.keyboard.press("Tab")  # quantity (its text selected)
    if quantity is not None:
        page.keyboard.type(quantity)
    page.keyboard.press("Tab")  # unit price: the rules' price, left alone
    page.keyboard.press("Tab")  # line discount
    if discount is not None:
        page.keyboard.type(discount)
    page.keyboard.press("Tab")  # its %/Rial switch
    if rial:
        page.keyboard.press("Space")
    page.keyboard.press("Enter")
    expect(page.locator(".ed-row[data-line]")).to_have_count(rows + 1)
    expect(page.locator(".ed-new [name=product_label]")).to_be_focused()


def follow_up_tomorrow(page: Any, kernel: Any, url: str, proforma_id: int, note: str, at: dt.time) -> dt.date:
    """On the F4 form (already open): the note and tomorrow at ``at`` typed in Persian digits,
    saved; back on the proforma's page the note is in its follow-ups. Answers tomorrow."""
    expect(page).to_have_url(f"{url}/finance/proforma/{proforma_id}/follow-up")
    tomorrow = local_today(kernel.config.timezone) + dt.timedelta(days=1)
    page.fill("textarea[name=note]", note)
    page.fill("input[name=next_date]", format_jalali(tomorrow, "fa"))
    page.keyboard.press("Escape")  # the date picker
    page.fill("input[name=next_time]", to_persian_digits(at.strftime("%H:%M")))  # ۱۰:۳۰
    page.locator("#follow-up-form button.primary").click()
    expect(page).to_have_url(f"{url}/finance/proforma/{proforma_id}")
    expect(page.locator("#follow-ups")).to_contain_text(note)
    return tomorrow


def rings_in_the_work_queue(page: Any, kernel: Any, day: dt.date, at: dt.time, *texts: str) -> None:
    """A minute after ``at`` on ``day`` the reminder rings: the work queue's alarms show it."""
    moment = dt.datetime.combine(day, at) + dt.timedelta(minutes=1)
    run_due(kernel, now=to_utc(moment, kernel.config.timezone))
    page.goto("/tasks/kartable")
    alarms = page.locator('[data-part="alarms"]')
    for text in ("پیگیری پیش‌فاکتور", *texts):
        expect(alarms).to_contain_text(text)
