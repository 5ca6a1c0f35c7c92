"""Tasks end to end over HTTP (TSK-01/02/04): create with a Jalali due time, refer to a colleague,
the colleague logs a call on it and sets 100 % in the list, the referrer sees it done."""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from kernel.reminders.models import Alarm
from kernel.testing import create_record, create_user, csrf
from kernel.timezone import day_bounds, local_today
from kernel.web.app import build_app
from modules.base.models import Communication, Partner
from modules.tasks.models import Task

PERMS = ("tasks.task.*", "kernel.reminder.*", "base.partner.*", "base.communication.*")


@pytest.fixture
def kernel(make_kernel: Any) -> Any:
    return make_kernel(edition="tier2")


@pytest.fixture
def users(kernel: Any) -> dict[str, int]:
    # Sara and Reza sell in one team (they share the team's partners); Nima is in another.
    return {"sara": create_user(kernel, "sara", perms=PERMS, scope="team", team="sales"),
            "reza": create_user(kernel, "reza", perms=PERMS, scope="team", team="sales"),
            "nima": create_user(kernel, "nima", perms=PERMS, scope="team", team="support")}


def partner(kernel: Any, uid: int, name: str = "شرکت نمونه") -> int:
    return create_record(kernel, uid, "base.partner", kind="company", name=name)


def post(c: Any, url: str, data: dict[str, Any], referer: str = "/") -> Any:
    return c.post(url, data={**data, "csrf": csrf(c, referer)}, follow_redirects=False)


def test_refer_log_and_complete(kernel: Any, users: dict[str, int], login_as: Any) -> None:
    pid = partner(kernel, users["sara"])
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        r = post(c, "/tasks/task/new", {"title": "پیگیری پیش‌فاکتور", "priority": "high", "due_at": "۱۴۰۵/۰۹/۰۴ ۱۰:۰۰",
                                        "progress": "0", "partner_id": str(pid), "assignee_id": str(users["reza"])})
        assert r.status_code == 303, r.text
        tid = int(r.headers["location"].rstrip("/").split("/")[-1])
    with kernel.sessions() as s:
        task = s.get(Task, tid)
        assert task.referred_by_id == users["sara"] and task.assignee_id == users["reza"]
        alarm = s.query(Alarm).filter_by(user_id=users["reza"], kind="referral").one()
        assert alarm.url == f"/tasks/task/{tid}"

    with TestClient(build_app(kernel)) as c:
        login_as(c, "reza")
        page = c.get("/tasks/kartable").text
        part = "coming" if task.due_at >= day_bounds(local_today())[1] else "overdue"
        found = re.search(rf'data-part="{part}">.*?</section>', page, re.S)
        assert found is not None and f'data-task="{tid}"' in found.group(0)
        detail = c.get(f"/tasks/task/{tid}").text
        log = re.search(r'href="(/base/communication/new\?[^"]+)"', detail)
        assert log, "the task page offers to log a communication"
        form_page = c.get(log.group(1).replace("&amp;", "&")).text
        assert 'name="next"' in form_page
        r = post(c, "/base/communication/new", {
            "partner_id": str(pid), "kind": "call", "direction": "out", "subject": "تماس با مدیر خرید",
            "started_at": "۱۴۰۵/۰۹/۰۳ ۱۱:۰۰", "link_resource": "tasks.task", "link_id": str(tid),
            "next": f"/tasks/task/{tid}"})
        assert r.status_code == 303 and r.headers["location"] == f"/tasks/task/{tid}"
        r = post(c, f"/tasks/task/{tid}/set", {"progress": "۱۰۰", "back": "/tasks/task/"}, "/tasks/task/")
        assert r.status_code == 303 and r.headers["location"] == "/tasks/task/"

    with kernel.sessions() as s:
        task = s.get(Task, tid)
        assert task.progress == 100 and task.done_at is not None
        assert s.query(Communication).filter_by(link_resource="tasks.task", link_id=tid).count() == 1

    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        sent = c.get("/tasks/sent", follow_redirects=True).text
        assert "پیگیری پیش‌فاکتور" in sent and "۱۰۰" in sent
        detail = c.get(f"/tasks/task/{tid}").text
        assert "تماس با مدیر خرید" in detail
        # TSK-04: the edit is in the task's history, by whom, from what to what.
        history = re.search(r'<section class="panel history">.*?</section>', detail, re.S)
        assert history is not None
        change = re.search(r"<tr><td>[^<]*</td><td>Reza</td>.*?</tr>", history.group(0), re.S)
        assert change is not None and "درصد تکمیل" in change.group(0) and "<s>۰</s>" in change.group(0)
        assert "۱۰۰" in change.group(0)

    # Nima (another team) sees neither the task nor its page.
    with TestClient(build_app(kernel)) as c:
        login_as(c, "nima")
        assert c.get(f"/tasks/task/{tid}").status_code == 404
        assert "پیگیری پیش‌فاکتور" not in c.get("/tasks/task/").text
    with kernel.sessions() as s:
        assert s.get(Partner, pid) is not None


def test_an_assignee_in_own_scope_edits_a_task_about_a_partner_they_cannot_see(
        kernel: Any, login_as: Any) -> None:
    """The task is Reza's (given to him), its partner Sara's: he can edit and close it, but not
    point it at a partner he cannot see; Sara, who referred it, still sees it when it is his."""
    sara = create_user(kernel, "sara", perms=PERMS, scope="own")
    reza = create_user(kernel, "reza", perms=PERMS, scope="own")
    pid = partner(kernel, sara, "مشتری سارا")
    other = partner(kernel, sara, "مشتری دیگر سارا")
    tid = create_record(kernel, sara, "tasks.task", title="تماس پیگیری", progress=0, priority="normal",
                        partner_id=pid, assignee_id=reza)
    with TestClient(build_app(kernel)) as c:
        login_as(c, "reza")
        form = {"title": "تماس پیگیری (ویرایش)", "priority": "normal", "progress": "۵۰", "partner_id": str(pid),
                "assignee_id": str(reza)}
        r = post(c, f"/tasks/task/{tid}/edit", form)
        assert r.status_code == 303, r.text
        r = post(c, f"/tasks/task/{tid}/edit", {**form, "partner_id": str(other)})
        assert r.status_code == 400
    with kernel.sessions() as s:
        task = s.get(Task, tid)
        assert task is not None and task.title == "تماس پیگیری (ویرایش)" and task.partner_id == pid
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        assert c.get(f"/tasks/task/{tid}").status_code == 200


def test_the_task_page_says_who_referred_it_and_when_it_was_done(kernel: Any, users: dict[str, int],
                                                                  login_as: Any) -> None:
    tid = create_record(kernel, users["sara"], "tasks.task", title="بررسی قرارداد", progress=100,
                        priority="normal", assignee_id=users["reza"])
    with TestClient(build_app(kernel)) as c:
        login_as(c, "reza")
        status = re.search(r"<section class=\"panel task-status\".*?</section>", c.get(f"/tasks/task/{tid}").text, re.S)
        assert status is not None
        assert "انجام شد" in status.group(0) and "Sara → Reza" in status.group(0)


def test_any_record_carries_its_tasks(kernel: Any, users: dict[str, int], login_as: Any) -> None:
    """A communication (any module's record) offers "new task" with the link filled in; the task
    page links back; the record and its partner list the task."""
    pid = partner(kernel, users["sara"], "فروشگاه زنجیره‌ای")
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        r = post(c, "/base/communication/new", {"partner_id": str(pid), "kind": "meeting", "direction": "out",
                                               "subject": "جلسهٔ معرفی محصول", "started_at": "۱۴۰۵/۰۹/۰۱ ۱۰:۰۰"})
        comm = int(r.headers["location"].rstrip("/").split("/")[-1])
        page = c.get(f"/base/communication/{comm}").text
        new = re.search(r'data-record-tasks>.*?href="(/tasks/task/new\?[^"]+)"', page, re.S)
        assert new is not None
        form = c.get(new.group(1).replace("&amp;", "&")).text
        values = dict(re.findall(r'name="(link_resource|link_id|partner_id|next)"[^>]*value="([^"]*)"', form))
        assert values["link_resource"] == "base.communication" and values["link_id"] == str(comm)
        assert values["next"] == f"/base/communication/{comm}"
        r = post(c, "/tasks/task/new", {"title": "ارسال نمونه پس از جلسه", "priority": "normal", "progress": "0",
                                        "partner_id": str(pid), "link_resource": "base.communication",
                                        "link_id": str(comm), "next": values["next"]})
        assert r.status_code == 303 and r.headers["location"] == f"/base/communication/{comm}"
        with kernel.sessions() as s:
            tid = s.query(Task.id).filter_by(title="ارسال نمونه پس از جلسه").scalar()
        assert f'data-task="{tid}"' in c.get(f"/base/communication/{comm}").text
        assert f'data-task="{tid}"' in c.get(f"/base/partner/{pid}").text
        linked = re.search(r'data-linked-record>([^<]+)<', c.get(f"/tasks/task/{tid}").text)
        assert linked is not None and linked.group(1) == "جلسهٔ معرفی محصول"
