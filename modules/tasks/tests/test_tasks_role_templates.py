"""Tasks ships role templates for the jobs of the work queue (issue 8, item 5)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kernel import role_templates, testing
from kernel.models import Role


def test_the_coordinator_template_gives_a_working_queue_of_ones_own(make_kernel: Any, web_client: Any) -> None:
    kernel = make_kernel(edition="tier2")
    assert {"tasks.coordinator", "tasks.supervisor"} <= set(kernel.role_templates)
    # Every permission a template names exists in the edition (none silently dropped).
    for key in ("tasks.coordinator", "tasks.supervisor"):
        named = [c for c in kernel.role_templates[key].permissions if not c.endswith(".*")]
        assert set(named) <= set(kernel.permissions), key
    assert "tasks.kartable.all_users" in role_templates.expand(kernel, kernel.role_templates["tasks.supervisor"].permissions)
    testing.create_user(kernel, "boss", admin=True)
    client = web_client(kernel, "boss")
    page = client.get("/admin/roles").text
    assert "هماهنگ‌کنندهٔ وظایف" in page
    client.post("/admin/roles", data={"name": "میز پیگیری", "template": "tasks.coordinator",
                                      "csrf": testing.csrf_of(page)})
    with kernel.sessions() as s:
        role = s.scalars(select(Role).where(Role.name == "میز پیگیری")).one()
        perms = {p.permission for p in role.permissions}
    assert role.record_scope == "own"
    assert {"tasks.task.create", "tasks.task.edit", "kernel.reminder.create", "base.communication.create"} <= perms
    assert "tasks.kartable.all_users" not in perms
    desk_id = testing.create_user(kernel, "desk")
    with kernel.session() as s:
        from kernel.models import User

        s.get(User, desk_id).roles = [s.get(Role, role.id)]
    desk = web_client(kernel, "desk")
    assert desk.get("/tasks/kartable").status_code == 200
    assert desk.get("/tasks/task/new").status_code == 200
    assert desk.get("/admin/roles").status_code == 403
