"""Reminders and alarms are the platform's (KER-11, KER-21): a tier 1 or tier 3 instance, without
the tasks module, keeps reminders through the API, rings them, shows the alarms on the dashboard
and in the tray, dismisses them; a module's date source reaches the user without tasks; an
impossible Jalali date on the reminder form is a Persian message that changes nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from kernel import security
from kernel.jobs import run_due
from kernel.models import User
from kernel.persian.jalali import format_jalali, jalali_to_date, to_jalali
from kernel.reminders.models import Alarm, Reminder
from kernel.testing import create_record, create_user, csrf
from kernel.timezone import local_today, to_utc
from kernel.web.app import build_app

Y = to_jalali(local_today()).year + 1
FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def block(html: str, key: str) -> str:
    found = re.search(rf'data-block="{key}">.*?</section>', html, re.S)
    assert found is not None, f"no block {key}"
    return found.group(0)


@pytest.mark.parametrize("edition", ["tier1", "tier3"])
def test_without_tasks_a_reminder_from_the_api_rings_on_the_dashboard_and_tray(make_kernel: Any, login_as: Any,
                                                                               edition: str) -> None:
    kernel = make_kernel(edition=edition)
    assert "tasks" not in kernel.module_names
    uid = create_user(kernel, "sara", perms=("kernel.reminder.*", "base.partner.*"))
    pid = create_record(kernel, uid, "base.partner", kind="company", name="هتل رایان")
    at = to_utc(dt.datetime.combine(jalali_to_date(Y, 2, 10), dt.time(9)))
    with kernel.session() as s:
        user = s.get(User, uid)
        assert user is not None
        token = security.create_token(s, user)
    api = TestClient(build_app(kernel))
    h = {"Authorization": f"Bearer {token}"}
    made = api.post("/api/kernel/reminder", headers=h, json={
        "title": "تماس تمدید قرارداد", "first_at": at.isoformat(), "repeat": "none",
        "link_resource": "base.partner", "link_id": pid})
    assert made.status_code == 201, made.text
    rid = made.json()["id"]
    assert [r["id"] for r in api.get("/api/kernel/reminder", headers=h).json()["items"]] == [rid]
    got = api.get(f"/api/kernel/reminder/{rid}", headers=h).json()
    assert (got["link_resource"], got["link_id"], got["user_id"]) == ("base.partner", pid, uid)

    run_due(kernel, now=at - dt.timedelta(minutes=1))
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Alarm)) == 0
    run_due(kernel, now=at + dt.timedelta(seconds=31))
    run_due(kernel, now=at + dt.timedelta(minutes=2))  # a second scan adds nothing
    with kernel.sessions() as s:
        alarm = s.scalars(select(Alarm)).one()
        assert (alarm.user_id, alarm.reminder_id, alarm.url) == (uid, rid, f"/base/partner/{pid}")

    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        html = c.get("/").text
        assert "تماس تمدید قرارداد" in block(html, "kernel.alarms")
        tray = html.split("data-alarm-tray", 1)[1]
        assert "تماس تمدید قرارداد" in tray and f'href="/base/partner/{pid}"' in tray
        assert 'href="/alarms"' in html and "/tasks/" not in html
        assert c.get("/alarms.json").json()["count"] == 1
        c.post("/alarms/dismiss", data={"alarm": str(alarm.id), "csrf": csrf(c, "/alarms"), "back": "/alarms"})
        assert c.get("/alarms.json").json() == {"count": 0, "alarms": []}
        html = c.get("/").text
        assert "تماس تمدید قرارداد" not in block(html, "kernel.alarms")
        assert re.search(r"data-alarm-tray[^>]*hidden", html)
        # Still listed, as seen, on the alarms page.
        assert "تماس تمدید قرارداد" in c.get("/alarms").text


def test_a_modules_date_source_reaches_the_user_without_tasks(make_kernel: Any, login_as: Any) -> None:
    kernel = make_kernel(edition="tier1", modules=("notes",), packages=("peyvand_notes",))
    assert "tasks" not in kernel.module_names and "notes.due" in [s.key for s in kernel.date_sources]
    today = local_today()
    sara = create_user(kernel, "sara", perms=("notes.note.*", "kernel.daily_report.view"), scope="own")
    reza = create_user(kernel, "reza", perms=("notes.note.*", "kernel.daily_report.view"), scope="own")
    create_record(kernel, sara, "notes.note", title="تمدید بیمه‌نامه", due=today)
    create_record(kernel, sara, "notes.note", title="سررسید چک دیروز", due=today - dt.timedelta(days=1))
    create_record(kernel, sara, "notes.note", title="هفته‌ی بعد", due=today + dt.timedelta(days=7))
    create_record(kernel, reza, "notes.note", title="مال رضا", due=today)
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        due = block(c.get("/").text, "kernel.due")
        assert "تمدید بیمه‌نامه" in due and "سررسید چک دیروز" in due
        assert "هفته‌ی بعد" not in due and "مال رضا" not in due
        html = c.get("/reminders/daily", params={"source": "notes.due", "day": format_jalali(today, "fa")}).text
        rows = re.findall(r'<tr data-row="\d+">.*?</tr>', html, re.S)
        assert len(rows) == 1 and "تمدید بیمه‌نامه" in rows[0]  # reza's note is outside her scope
        bad = c.get("/reminders/daily", params={"source": "notes.due", "day": "۱۴۰۴/۱۲/۳۰"})
        assert bad.status_code == 200 and 'role="alert"' in bad.text and "<tr data-row" not in bad.text
    with TestClient(build_app(kernel)) as c:
        login_as(c, "reza")
        due = block(c.get("/").text, "kernel.due")
        assert "مال رضا" in due and "تمدید بیمه‌نامه" not in due


def test_an_impossible_jalali_date_on_the_reminder_form_changes_nothing(make_kernel: Any, login_as: Any) -> None:
    kernel = make_kernel(edition="tier1")
    create_user(kernel, "sara", perms=("kernel.reminder.*",))
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        token = csrf(c, "/kernel/reminder/new")
        form = {"csrf": token, "title": "سررسید اسفند", "repeat": "yearly", "active": "1"}
        # 1404 is a common year: Esfand has 29 days.
        bad = c.post("/kernel/reminder/new", data={**form, "first_at": "۱۴۰۴/۱۲/۳۰ ۰۹:۰۰"})
        assert bad.status_code == 400
        message = re.search(r'id="f-first_at".*?class="error field-error" role="alert">([^<]+)<', bad.text, re.S)
        assert message is not None and message.group(1) == "اسفند ۱۴۰۴ ۲۹ روز دارد؛ سال ۱۴۰۴ کبیسه نیست"
        with kernel.sessions() as s:
            assert s.scalar(select(func.count()).select_from(Reminder)) == 0
        # 1403 was a leap year: Esfand 30 exists.
        ok = c.post("/kernel/reminder/new", data={**form, "first_at": "۱۴۰۳/۱۲/۳۰ ۰۹:۰۰"}, follow_redirects=False)
        assert ok.status_code in (302, 303), ok.text[:2000]
    with kernel.sessions() as s:
        reminder = s.scalars(select(Reminder)).one()
        first = to_jalali((reminder.first_at + dt.timedelta(hours=3, minutes=30)).date())
        assert (first.year, first.month, first.day) == (1403, 12, 30)
        # Yearly from a leap day: next time on Esfand 29 of a common year, or the 30th of a leap one.
        nxt = to_jalali((reminder.next_at + dt.timedelta(hours=3, minutes=30)).date())
        assert nxt.month == 12 and nxt.day in (29, 30)


def test_a_records_page_lists_its_reminders_and_a_purge_takes_them_away(make_kernel: Any, login_as: Any) -> None:
    from kernel import records

    kernel = make_kernel(edition="tier1")
    uid = create_user(kernel, "sara", perms=("kernel.reminder.*", "base.partner.*", "kernel.trash.view"))
    pid = create_record(kernel, uid, "base.partner", kind="company", name="هتل رایان")
    at = to_utc(dt.datetime.combine(jalali_to_date(Y, 3, 1), dt.time(9)))
    rid = create_record(kernel, uid, "kernel.reminder", title="تمدید قرارداد هتل", first_at=at, repeat="none",
                        link_resource="base.partner", link_id=pid)
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        panel = re.search(r"data-record-reminders>.*?</section>", c.get(f"/base/partner/{pid}").text, re.S)
        assert panel is not None and "تمدید قرارداد هتل" in panel.group(0)
        assert "/kernel/reminder/new?link_resource=base.partner&amp;link_id=" in panel.group(0)
        form = c.get(f"/kernel/reminder/new?link_resource=base.partner&link_id={pid}").text
        assert 'value="base.partner"' in form
        # Only one half of a link is refused, on the API as on the form.
        with kernel.session() as s:
            user = s.get(User, uid)
            assert user is not None
            token = security.create_token(s, user)
        half = c.post("/api/kernel/reminder", headers={"Authorization": f"Bearer {token}"},
                      json={"title": "نیمه", "first_at": at.isoformat(), "link_resource": "base.partner"})
        assert half.status_code == 422
    run_due(kernel, now=at + dt.timedelta(minutes=1))
    res = kernel.resources["base.partner"]
    with kernel.sessions() as s:
        who = security.load_actor(s, uid)
    with kernel.session(who) as s:
        records.delete_record(kernel, s, who, res, pid)
    with kernel.session(who) as s:
        records.purge_record(kernel, s, who, res, pid)
    with kernel.sessions() as s:
        assert s.get(Reminder, rid) is None
        assert s.scalar(select(func.count()).select_from(Alarm)) == 0
