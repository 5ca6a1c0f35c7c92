"""The 360° profile's panels (BASE-11): every module adds its own through ``register_panels``,
shown in their declared order to users holding each panel's permission; tasks contributes the
partner's tasks for today and its other open tasks."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from markupsafe import Markup
from starlette.testclient import TestClient

from kernel import Panel, hookimpl
from kernel.plugins import ModuleError
from kernel.testing import create_record, create_user
from kernel.timezone import local_today, to_utc
from kernel.web.app import build_app
from modules.base.panels import PAGE


def grab(pattern: str, text: str) -> str:
    """The first match of ``pattern`` (across lines); fails the test when there is none."""
    found = re.search(pattern, text, re.S)
    assert found is not None, pattern
    return found.group(0)



def at(days: int, hour: int = 10) -> dt.datetime:
    return to_utc(dt.datetime.combine(local_today() + dt.timedelta(days=days), dt.time(hour)))


class Finance:
    """A later module: a balance panel between tasks (40) and the end, and one that hides itself."""

    @hookimpl
    def register_panels(self) -> list[Panel]:
        def balance(record: Any, **_: Any) -> Markup:
            return Markup("<p class='balance'>balance of {}</p>").format(record.id)

        return [Panel("test_fin.balance", PAGE, "Balance", balance, permission="base.partner.view", sequence=45),
                Panel("test_fin.nothing", PAGE, "Nothing", lambda **_: None, sequence=1),
                Panel("test_fin.secret", PAGE, "Secret", lambda **_: Markup("secret"), permission="test_fin.secret")]


@pytest.fixture
def kernel(make_kernel: Any) -> Any:
    k = make_kernel(edition="tier2")
    k.pm.register(Finance(), name="test_fin")
    k.panels = k.collect("register_panels", Panel, named=lambda p: p.key)  # panels are read at start-up
    return k


def panel_keys(html: str) -> list[str]:
    return re.findall(r'data-panel="([^"]+)"', html)


def test_panels_come_in_their_declared_order_and_by_permission(kernel: Any, login_as: Any) -> None:
    create_user(kernel, "admin", admin=True)
    create_user(kernel, "clerk", perms=("base.partner.view", "base.relation.view"))
    pid = create_record(kernel, None, "base.partner", kind="person", first_name="علی", last_name="رضایی")
    with TestClient(build_app(kernel)) as c:
        html = login_as(c, "admin").get(f"/base/partner/{pid}/profile").text
        assert panel_keys(html) == ["base.relations", "base.preferences", "base.planned", "tasks.partner_tasks",
                                    "test_fin.balance", "test_fin.secret"]  # an admin holds every permission
        assert f"<p class='balance'>balance of {pid}</p>" in html and 'id="panel-test_fin-balance"' in html
    with TestClient(build_app(kernel)) as c:
        html = login_as(c, "clerk").get(f"/base/partner/{pid}/profile").text
        assert panel_keys(html) == ["base.relations", "test_fin.balance"]


def test_a_panel_key_must_carry_its_module_name(kernel: Any) -> None:
    class Rogue:
        @hookimpl
        def register_panels(self) -> list[Panel]:
            return [Panel("base.stolen", PAGE, "Stolen", lambda **_: None)]

    kernel.pm.register(Rogue(), name="rogue")
    with pytest.raises(ModuleError, match="rogue"):
        kernel.collect("register_panels", Panel, named=lambda p: p.key)


def test_tasks_panel_shows_todays_and_other_open_tasks_of_the_partner(kernel: Any, login_as: Any) -> None:
    create_user(kernel, "admin", admin=True)
    pid = create_record(kernel, None, "base.partner", kind="company", name="هتل رایان")
    other = create_record(kernel, None, "base.partner", kind="company", name="دیگری")
    create_record(kernel, None, "tasks.task", title="امروزی", due_at=at(0, 23), partner_id=pid)
    create_record(kernel, None, "tasks.task", title="عقب‌مانده", due_at=at(-2), partner_id=pid)
    create_record(kernel, None, "tasks.task", title="بی‌تاریخ", partner_id=pid)
    create_record(kernel, None, "tasks.task", title="تمام‌شده", due_at=at(0, 22), partner_id=pid, progress=100)
    create_record(kernel, None, "tasks.task", title="مال دیگری", due_at=at(0, 21), partner_id=other)
    with TestClient(build_app(kernel)) as c:
        html = login_as(c, "admin").get(f"/base/partner/{pid}/profile").text
    panel = grab(r'data-panel="tasks.partner_tasks".*?</section>', html)
    today = grab(r'<ul class="block-list tasks-today">.*?</ul>', panel)
    rest = grab(r'<ul class="block-list tasks-open">.*?</ul>', panel)
    assert "امروزی" in today and "عقب‌مانده" not in today
    assert rest.index("عقب‌مانده") < rest.index("بی‌تاریخ") and 'class="overdue"' in rest
    assert "تمام‌شده" not in panel and "مال دیگری" not in panel
    assert f"/tasks/task/new?partner_id={pid}" in panel
