"""What belongs to a partner follows the partner's scope at query time (issue 9, item 3;
``__scope_follows__``), and a reference the user cannot see is neither shown nor lost."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from kernel.models import Role
from kernel.testing import api_token, create_record, create_user, csrf
from kernel.web.app import build_app


def _world(k: Any) -> dict[str, int]:
    from modules.base.models import Province, RelationKind, RoleProvince

    with k.session() as s:
        isf, teh = Province(name="اصفهان", area_code="31"), Province(name="تهران", area_code="21")
        s.add_all([isf, teh, RelationKind(code="friend", name="دوست", reverse_name="دوست")])
        s.flush()
        ids = {"isf": isf.id, "teh": teh.id}
    ids["admin"] = create_user(k, "admin", admin=True)
    ids["isf_user"] = create_user(k, "isf", perms=("base.partner.*", "base.relation.*", "base.preference.*",
                                                   "base.planned_communication.*", "tasks.task.*",
                                                   "kernel.reminder.*"))
    with k.session() as s:
        role = s.scalars(select(Role).where(Role.name == "role-isf")).one()
        s.add(RoleProvince(role_id=role.id, province_id=ids["isf"]))
    admin = ids["admin"]
    ids["tehran"] = create_record(k, admin, "base.partner", kind="person", first_name="بهمن", last_name="تهرانی",
                                  province_id=ids["teh"])
    ids["friend"] = create_record(k, admin, "base.partner", kind="person", first_name="دارا", last_name="تهرانی",
                                  province_id=ids["teh"])
    soon = dt.datetime(2026, 12, 20, 6, 30)
    ids["preference"] = create_record(k, admin, "base.preference", partner_id=ids["tehran"], kind="like",
                                      text="چای سبز")
    ids["relation"] = create_record(k, admin, "base.relation", partner_id=ids["tehran"], kind="friend",
                                    other_id=ids["friend"])
    ids["task"] = create_record(k, admin, "tasks.task", title="تمدید قرارداد بهمن", partner_id=ids["tehran"],
                                due_at=soon)
    ids["my_task"] = create_record(k, admin, "tasks.task", title="پیگیری تلفنی", partner_id=ids["tehran"],
                                   assignee_id=ids["isf_user"], due_at=soon)
    with k.session() as s:
        from kernel.reminders.models import Reminder

        reminder = Reminder(title="تولد بهمن", first_at=soon, link_resource="base.partner", link_id=ids["tehran"],
                            user_id=admin)
        s.add(reminder)
        s.flush()
        ids["reminder"] = reminder.id
    return ids


def _listed(c: TestClient, token: str, resource: str) -> set[int]:
    items = c.get(f"/api/{resource.replace('.', '/')}", headers={"Authorization": f"Bearer {token}"}).json()["items"]
    return {i["id"] for i in items}


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_what_hangs_off_a_partner_moves_with_it(make_kernel: Any, engine: str) -> None:
    k = make_kernel(edition="tier2", engine=engine)
    ids = _world(k)
    token = api_token(k, "isf")
    with TestClient(build_app(k)) as c:
        # In Tehran: nothing of Bahman's but the task given to the Isfahan user.
        assert _listed(c, token, "base.preference") == set()
        assert _listed(c, token, "base.relation") == set()
        assert _listed(c, token, "tasks.task") == {ids["my_task"]}
        assert _listed(c, token, "kernel.reminder") == set()
        # Bahman moves to Isfahan: everything of his comes along, at once, with no copy to update.
        from kernel import records

        with k.session() as s:
            from kernel import security

            actor = security.load_actor(s, ids["admin"])
            records.update_record(k, s, actor, k.resources["base.partner"], ids["tehran"], {"province_id": ids["isf"]})
        assert _listed(c, token, "base.preference") == {ids["preference"]}
        assert _listed(c, token, "base.relation") == {ids["relation"]}
        assert _listed(c, token, "tasks.task") == {ids["task"], ids["my_task"]}
        assert _listed(c, token, "kernel.reminder") == {ids["reminder"]}


def test_a_hidden_reference_is_null_in_the_api_and_kept_when_sent_back(make_kernel: Any, login_as: Any) -> None:
    k = make_kernel(edition="tier2")
    ids = _world(k)
    token = api_token(k, "isf")
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(build_app(k)) as c:
        task = c.get(f"/api/tasks/task/{ids['my_task']}", headers=auth).json()
        assert task["partner_id"] is None and task["_hidden"] == ["partner_id"]
        # The whole record sent back, as a client that read it would: the partner stays.
        task["title"] = "پیگیری تلفنی — انجام شد"
        body = {n: v for n, v in task.items() if not n.startswith("_") and n not in ("id", "created_at",
                                                                                   "updated_at", "owner_id")}
        r = c.put(f"/api/tasks/task/{ids['my_task']}", json=body, headers=auth)
        assert r.status_code == 200, r.text
        assert r.json()["partner_id"] is None and r.json()["_hidden"] == ["partner_id"]
        # And through the form, whose partner field shows "—".
        login_as(c, "isf")
        page = c.get(f"/tasks/task/{ids['my_task']}/edit").text
        assert "بهمن" not in page
        r = c.post(f"/tasks/task/{ids['my_task']}/edit", data={
            "csrf": csrf(c, f"/tasks/task/{ids['my_task']}/edit"), "title": "پیگیری دوم", "priority": "normal",
            "partner_id": "", "progress": "0"}, follow_redirects=False)
        assert r.status_code == 303, r.text[-1500:]
        # The record's menu offers no "new communication with" the hidden partner.
        listing = c.get("/tasks/task/").text
        assert f"partner_id={ids['tehran']}" not in listing and "بهمن" not in listing
    from modules.tasks.models import Task

    with k.sessions() as s:
        saved = s.get(Task, ids["my_task"])
        assert (saved.title, saved.partner_id) == ("پیگیری دوم", ids["tehran"])
