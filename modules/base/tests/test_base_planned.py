"""Planned communications (BASE-17): scheduled for a user at a Jalali date and time, due in the
work queue (an overdue one stays until done or cancelled), on the partner's profile, and once
done a logged communication with its outcome, linked back to the plan."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from kernel.persian.jalali import format_jalali
from kernel.testing import create_record, create_user, csrf
from kernel.timezone import local_today, to_utc
from kernel.web.app import build_app
from modules.base.models import Communication, PlannedCommunication

PERMS = ("base.partner.*", "base.communication.*", "base.planned_communication.*", "tasks.task.*")

def grab(pattern: str, text: str) -> str:
    """The first match of ``pattern`` (across lines); fails the test when there is none."""
    found = re.search(pattern, text, re.S)
    assert found is not None, pattern
    return found.group(0)



def at(days: int, hour: int = 10) -> dt.datetime:
    return to_utc(dt.datetime.combine(local_today() + dt.timedelta(days=days), dt.time(hour)))


def part(html: str, key: str) -> str:
    found = re.search(rf'data-part="{key}">.*?</section>', html, re.S)
    assert found is not None, f"no part {key}"
    return found.group(0)


@pytest.fixture
def kernel(make_kernel: Any, request: Any) -> Any:
    return make_kernel(edition="tier2", engine=getattr(request, "param", "sqlite"))


@pytest.fixture
def sara(kernel: Any, login_as: Any) -> Any:
    create_user(kernel, "sara", perms=PERMS)
    with TestClient(build_app(kernel)) as c:
        yield login_as(c, "sara")


def test_plan_from_the_profile_then_done_logs_the_communication(kernel: Any, sara: Any) -> None:
    uid = create_user(kernel, "reza", perms=PERMS)
    pid = create_record(kernel, uid, "base.partner", kind="person", first_name="علی", last_name="رضایی")
    url = f"/base/partner/{pid}/profile"
    token = csrf(sara, url)
    tomorrow = format_jalali(local_today() + dt.timedelta(days=1), "fa")
    resp = sara.post(f"/base/partner/{pid}/planned", data={
        "csrf": token, "kind": "call", "subject": "پیگیری پیش‌فاکتور", "planned_at": f"{tomorrow} ۱۰:۳۰", "user_id": ""},
        follow_redirects=False)
    assert resp.status_code == 303
    with kernel.sessions() as s:
        plan = s.scalars(select(PlannedCommunication)).one()
    # Tehran's 10:30 tomorrow, stored in UTC; the planner is the user when none is chosen.
    assert plan.planned_at == at(1, 10) + dt.timedelta(minutes=30) and plan.state == "planned"
    from kernel.models import User

    with kernel.sessions() as s:
        assert plan.user_id == s.scalars(select(User.id).where(User.username == "sara")).one()
    panel = grab(r'data-panel="base.planned".*?</section>', sara.get(url).text)
    assert "پیگیری پیش‌فاکتور" in panel and "عقب‌افتاده" not in panel and "۱۰:۳۰" in panel
    # Done without an outcome: refused, the plan stays open.
    resp = sara.post(f"/base/planned/{plan.id}/done", data={"csrf": token, "outcome": "  "})
    assert "نتیجهٔ ارتباط را بنویسید" in resp.text
    resp = sara.post(f"/base/planned/{plan.id}/done", data={"csrf": token, "outcome": "قرار جلسه گذاشتیم"})
    assert resp.status_code == 200 and "در ارتباطات ثبت شد" in resp.text
    with kernel.sessions() as s:
        plan = s.get(PlannedCommunication, plan.id)
        comm = s.scalars(select(Communication)).one()
    assert plan.state == "done" and plan.communication_id == comm.id and plan.outcome == "قرار جلسه گذاشتیم"
    assert (comm.partner_id, comm.kind, comm.subject, comm.result) == (pid, "call", "پیگیری پیش‌فاکتور",
                                                                      "قرار جلسه گذاشتیم")
    assert (comm.link_resource, comm.link_id) == ("base.planned_communication", plan.id)
    html = sara.get(url).text
    assert re.search(r'<section class="panel profile-communications".*?پیگیری پیش‌فاکتور', html, re.S)
    # Done twice: refused, still one communication.
    resp = sara.post(f"/base/planned/{plan.id}/done", data={"csrf": token, "outcome": "دوباره"})
    assert "این برنامه پیش‌تر انجام یا لغو شده است" in resp.text
    with kernel.sessions() as s:
        assert len(s.scalars(select(Communication)).all()) == 1


def test_a_bad_time_is_refused_in_persian(kernel: Any, sara: Any) -> None:
    pid = create_record(kernel, None, "base.partner", kind="company", name="هتل رایان")
    token = csrf(sara, f"/base/partner/{pid}/profile")
    resp = sara.post(f"/base/partner/{pid}/planned", data={"csrf": token, "kind": "call", "subject": "تماس",
                                                           "planned_at": "فردا"})
    assert resp.status_code == 200 and "زمان برنامه:" in resp.text
    with kernel.sessions() as s:
        assert s.scalars(select(PlannedCommunication)).all() == []


@pytest.mark.parametrize("kernel", ["sqlite", "postgresql"], indirect=True)
def test_overdue_plans_stay_in_the_work_queue_until_done_or_cancelled(kernel: Any, sara: Any) -> None:
    from kernel.models import User

    with kernel.sessions() as s:
        uid = s.scalars(select(User.id).where(User.username == "sara")).one()
    pid = create_record(kernel, uid, "base.partner", kind="company", name="هتل رایان")
    late = create_record(kernel, uid, "base.planned_communication", partner_id=pid, kind="visit",
                         subject="بازدید عقب‌افتاده", planned_at=at(-3))
    create_record(kernel, uid, "base.planned_communication", partner_id=pid, kind="call", subject="تماس امروز",
                  planned_at=at(0, 23))
    create_record(kernel, uid, "base.planned_communication", partner_id=pid, kind="sms", subject="پیامک فردا",
                  planned_at=at(1))
    queue = part(sara.get("/tasks/kartable").text, "base.planned")
    assert "بازدید عقب‌افتاده" in queue and "تماس امروز" in queue and "پیامک فردا" not in queue
    profile = sara.get(f"/base/partner/{pid}/profile").text
    assert f'<tr data-plan="{late}" class="overdue">' in profile
    token = csrf(sara, "/")
    sara.post(f"/base/planned/{late}/cancel", data={"csrf": token})
    queue = part(sara.get("/tasks/kartable").text, "base.planned")
    assert "بازدید عقب‌افتاده" not in queue and "تماس امروز" in queue
    with kernel.sessions() as s:
        assert s.get(PlannedCommunication, late).state == "cancelled"
        assert s.scalars(select(Communication)).all() == []


def test_another_users_plan_outside_the_scope_cannot_be_closed(kernel: Any, login_as: Any) -> None:
    create_user(kernel, "sara", perms=PERMS, scope="own")
    reza = create_user(kernel, "reza", perms=PERMS, scope="own")
    pid = create_record(kernel, reza, "base.partner", kind="company", name="هتل رایان")
    plan = create_record(kernel, reza, "base.planned_communication", partner_id=pid, kind="call", subject="مال رضا",
                         planned_at=at(0))
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        resp = c.post(f"/base/planned/{plan}/done", data={"csrf": csrf(c, "/"), "outcome": "x"})
        assert resp.status_code == 404
    with kernel.sessions() as s:
        assert s.get(PlannedCommunication, plan).state == "planned"
