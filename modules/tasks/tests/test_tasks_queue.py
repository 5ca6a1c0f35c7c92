"""The work queue, its menu counts, a manager's view of a colleague's queue, the daily reminder
report with its one-click call, in-place completion, dashboard blocks and editions (TSK-05/06)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from starlette.testclient import TestClient

from kernel.persian.jalali import format_jalali
from kernel.testing import create_record, create_user, csrf
from kernel.timezone import local_today, to_utc
from kernel.web.app import build_app
from modules.tasks.models import Task

PERMS = ("tasks.task.*", "kernel.reminder.*", "base.partner.*", "base.communication.*",
         "kernel.daily_report.view")


@pytest.fixture
def kernel(make_kernel: Any) -> Any:
    return make_kernel(edition="tier2")


@pytest.fixture
def users(kernel: Any) -> dict[str, int]:
    return {"sara": create_user(kernel, "sara", perms=PERMS, scope="team", team="sales"),
            "reza": create_user(kernel, "reza", perms=PERMS, scope="team", team="sales"),
            "boss": create_user(kernel, "boss", perms=(*PERMS, "tasks.kartable.all_users"), scope="team",
                                team="sales"),
            "nima": create_user(kernel, "nima", perms=PERMS, scope="team", team="support")}


def at(days: int, hour: int = 10) -> dt.datetime:
    """``days`` from today at ``hour`` o'clock in Tehran, as stored."""
    return to_utc(dt.datetime.combine(local_today() + dt.timedelta(days=days), dt.time(hour)))


def part(html: str, key: str) -> str:
    found = re.search(rf'data-part="{key}">.*?</section>', html, re.S)
    assert found is not None, f"no part {key}"
    return found.group(0)


def ids_in(html: str) -> set[int]:
    return {int(i) for i in re.findall(r'data-task="(\d+)"', html)}


@pytest.fixture
def world(kernel: Any, users: dict[str, int]) -> dict[str, int]:
    sara, reza = users["sara"], users["reza"]
    pid = create_record(kernel, sara, "base.partner", kind="company", name="هتل رایان")
    w = {
        "partner": pid,
        "overdue": create_record(kernel, sara, "tasks.task", title="عقب‌افتاده", due_at=at(-2), progress=10, priority="high"),
        "today": create_record(kernel, sara, "tasks.task", title="امروزی", due_at=at(0, 23), progress=0, priority="normal",
                     partner_id=pid),
        "coming": create_record(kernel, sara, "tasks.task", title="فردا", due_at=at(1), progress=0, priority="normal"),
        "done": create_record(kernel, sara, "tasks.task", title="تمام‌شده", due_at=at(-1), progress=100, priority="low"),
        "referred": create_record(kernel, sara, "tasks.task", title="برای رضا", due_at=at(0), progress=40, priority="normal",
                        assignee_id=reza),
        "follow": create_record(kernel, sara, "base.communication", partner_id=pid, kind="call", direction="out",
                      subject="تماس اول", started_at=at(-5), follow_up_on=local_today() - dt.timedelta(days=1)),
        "reminder": create_record(kernel, sara, "kernel.reminder", title="یادآوری عصر", first_at=at(0, 23), repeat="none"),
    }
    return w


def test_the_queue_shows_each_list_and_the_menu_counts(kernel: Any, users: dict[str, int], world: dict[str, int],
                                                       login_as: Any) -> None:
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        html = c.get("/tasks/kartable").text
        assert ids_in(part(html, "overdue")) == {world["overdue"]}
        assert world["today"] in ids_in(part(html, "today"))
        assert ids_in(part(html, "coming")) == {world["coming"]}
        assert world["done"] not in ids_in(html)
        sent = part(html, "sent")
        assert ids_in(sent) == {world["referred"]} and "۴۰٪" in sent and "Reza" in sent
        assert "تماس اول" in part(html, "base.follow_up")
        assert "یادآوری عصر" in part(html, "reminders")
        # Menu: open tasks due by tonight (overdue + today's).
        badge = re.search(r'data-badge="tasks.kartable">([^<]+)<', html)
        assert badge is not None and badge.group(1) == "۲"

        # A later communication with the partner closes the follow-up.
        r = c.post("/base/communication/new", data={
            "partner_id": str(world["partner"]), "kind": "call", "direction": "out", "subject": "پیگیری انجام شد",
            "started_at": format_jalali(local_today(), "en") + " 09:00", "csrf": csrf(c, "/")},
            follow_redirects=False)
        assert r.status_code == 303
        assert "تماس اول" not in part(c.get("/tasks/kartable").text, "base.follow_up")


def test_a_manager_opens_a_colleagues_queue_and_others_cannot(kernel: Any, users: dict[str, int],
                                                              world: dict[str, int], login_as: Any) -> None:
    with TestClient(build_app(kernel)) as c:
        login_as(c, "boss")
        html = c.get(f"/tasks/kartable?user={users['reza']}").text
        assert world["referred"] in ids_in(part(html, "today"))
        assert 'data-part="alarms"' not in html  # alarms stay personal
    with TestClient(build_app(kernel)) as c:
        login_as(c, "reza")
        html = c.get(f"/tasks/kartable?user={users['sara']}").text  # no permission: his own queue
        assert world["overdue"] not in ids_in(html) and world["referred"] in ids_in(html)
    with TestClient(build_app(kernel)) as c:
        login_as(c, "nima")
        assert ids_in(c.get("/tasks/kartable").text) == set()


def test_completion_typed_in_the_list(kernel: Any, users: dict[str, int], world: dict[str, int],
                                      login_as: Any) -> None:
    tid = world["coming"]
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        listing = c.get("/tasks/task/").text
        assert f'form="inline-{tid}"' in listing and f'id="inline-{tid}"' in listing
        token = csrf(c, "/tasks/task/")
        bad = c.post(f"/tasks/task/{tid}/set", data={"progress": "۱۵۰", "csrf": token, "back": "/tasks/task/"})
        assert bad.status_code == 400 and "۰ و ۱۰۰" in bad.text
        word = c.post(f"/tasks/task/{tid}/set", data={"progress": "صد", "csrf": token})
        assert word.status_code == 400
        ok = c.post(f"/tasks/task/{tid}/set", data={"progress": "۱۰۰", "csrf": token},
                    headers={"Accept": "application/json"})
        assert ok.status_code == 200 and ok.json()["ok"] is True
    with kernel.sessions() as s:
        task = s.get(Task, tid)
        assert task is not None and task.progress == 100 and task.done_at is not None
    with TestClient(build_app(kernel)) as c:
        login_as(c, "nima")  # another team: the task does not exist for him
        r = c.post(f"/tasks/task/{tid}/set", data={"progress": "0", "csrf": csrf(c, "/tasks/task/")})
        assert r.status_code == 404
    with kernel.sessions() as s:
        assert s.get(Task, tid).progress == 100


def test_daily_reminder_report_with_one_click_call(kernel: Any, users: dict[str, int], world: dict[str, int],
                                                   login_as: Any) -> None:
    yesterday = format_jalali(local_today() - dt.timedelta(days=1), "fa")
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        html = c.get("/reminders/daily", params={"source": "base.follow_up", "day": yesterday}).text
        row = re.search(r'<tr data-row="\d+">.*?</tr>', html, re.S)
        assert row is not None and "تماس اول" in row.group(0) and "هتل رایان" in row.group(0)
        link = re.search(r'href="(/base/communication/new\?[^"]+)"', row.group(0))
        assert link is not None
        query = parse_qs(urlparse(unquote(link.group(1).replace("&amp;", "&"))).query)
        assert query["partner_id"] == [str(world["partner"])] and query["link_id"] == [str(world["follow"])]
        assert query["next"][0].startswith("/reminders/daily?")
        form = c.get(link.group(1).replace("&amp;", "&")).text
        assert 'name="next"' in form and "هتل رایان" in form
        # Tasks declare their due date too; a bad day is a message, not an error page.
        today = c.get("/reminders/daily", params={"source": "tasks.task_due", "day": format_jalali(local_today())}).text
        assert "برای رضا" in today
        bad = c.get("/reminders/daily", params={"source": "tasks.task_due", "day": "۱۴۰۵/۱۳/۰۱"})
        assert bad.status_code == 200 and 'role="alert"' in bad.text
    with TestClient(build_app(kernel)) as c:
        login_as(c, "nima")
        html = c.get("/reminders/daily", params={"source": "base.follow_up", "day": yesterday}).text
        assert "تماس اول" not in html


def test_dashboard_blocks(kernel: Any, users: dict[str, int], world: dict[str, int], login_as: Any) -> None:
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        html = c.get("/").text
        for key in ("tasks.my_day", "tasks.overdue", "tasks.referred", "kernel.alarms", "kernel.due"):
            assert f'data-block="{key}"' in html
        my_day = re.search(r'data-block="tasks.my_day">.*?</section>', html, re.S)
        assert my_day is not None and "عقب‌افتاده" in my_day.group(0) and "فردا" not in my_day.group(0)
        c.post("/dashboard/arrange", data={"block": "tasks.overdue", "op": "remove", "csrf": csrf(c, "/")})
        assert 'data-block="tasks.overdue"' not in c.get("/").text
    with TestClient(build_app(kernel)) as c:
        login_as(c, "reza")
        html = c.get("/").text
        alarms = re.search(r'data-block="kernel.alarms">.*?</section>', html, re.S)
        assert alarms is not None and "برای رضا" in alarms.group(0)
        assert "data-alarm-tray" in html and "برای رضا" in html.split("data-alarm-tray", 1)[1]


@pytest.mark.parametrize("edition", ["tier1", "tier3"])
def test_editions_without_tasks_show_no_task_ui_or_api(make_kernel: Any, edition: str, login_as: Any) -> None:
    kernel = make_kernel(edition=edition)
    create_user(kernel, "admin", admin=True)
    with TestClient(build_app(kernel)) as c:
        login_as(c, "admin")
        html = c.get("/").text
        # Reminders and alarms are the kernel's (tests/test_reminders_editions.py); tasks are absent.
        assert "/tasks/" not in html
        for url in ("/tasks/kartable", "/tasks/task/", "/tasks/daily", "/tasks/alarms", "/api/tasks/task"):
            assert c.get(url).status_code == 404, url
        assert "/tasks/" not in c.get("/api/openapi.json").text


def test_tier2_has_tasks_in_the_menu_and_api(kernel: Any, users: dict[str, int], world: dict[str, int],
                                            login_as: Any) -> None:
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        html = c.get("/").text
        assert 'href="/tasks/kartable"' in html and 'href="/tasks/sent"' in html
        titles = {row["title"] for row in c.get("/api/tasks/task").json()["items"]}
        assert "برای رضا" in titles and "تمام‌شده" in titles
