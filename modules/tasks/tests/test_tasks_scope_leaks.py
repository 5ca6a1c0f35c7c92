"""A task the user may see, about a partner they may not (issue 9, item 3): the task list, the
task's page and its export do not name the partner, and the daily reminder report leaves it out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from starlette.testclient import TestClient

from kernel.models import Role
from kernel.testing import create_record, create_user
from kernel.web.app import build_app
from modules.base.models import Province, RoleProvince


def test_a_partner_outside_the_scope_is_not_named_through_a_task(make_kernel: Any, login_as: Any) -> None:
    k = make_kernel(edition="tier2")
    with k.session() as s:
        isf, teh = Province(name="اصفهان", area_code="31"), Province(name="تهران", area_code="21")
        s.add_all([isf, teh])
    admin = create_user(k, "admin", admin=True)
    # Every record, but partners of Isfahan only (the province scope of the role).
    isf_user = create_user(k, "isf", perms=("tasks.task.*", "base.partner.view", "kernel.daily_report.view"))
    with k.session() as s:
        role = s.scalars(select(Role).where(Role.name == "role-isf")).one()
        s.add(RoleProvince(role_id=role.id, province_id=isf.id))
    tehran = create_record(k, admin, "base.partner", kind="company", name="هتل آزادی تهران", province_id=teh.id)
    mine = create_record(k, admin, "base.partner", kind="company", name="کاشی اصفهان", province_id=isf.id)
    due = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(hours=1)
    t1 = create_record(k, admin, "tasks.task", title="پیگیری قرارداد", partner_id=tehran, assignee_id=isf_user,
                       due_at=due)
    create_record(k, admin, "tasks.task", title="ارسال نمونه", partner_id=mine, assignee_id=isf_user, due_at=due)
    with TestClient(build_app(k)) as c:
        login_as(c, "isf")
        listing = c.get("/tasks/task/").text
        page = c.get(f"/tasks/task/{t1}").text
        export = c.get("/tasks/task/export.csv").text
    assert "ارسال نمونه" in listing, listing[-3000:]
    assert "کاشی اصفهان" in listing  # the partner in scope is named
    assert "پیگیری قرارداد" in listing  # the task about a Tehran partner is the user's to do
    for text in (listing, page, export):
        assert "هتل آزادی تهران" not in text
