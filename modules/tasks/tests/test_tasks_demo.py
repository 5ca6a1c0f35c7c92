"""The demo data fills the work queue of a new installation, once."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from starlette.testclient import TestClient

from kernel.demo import load_demo
from kernel.testing import create_user
from kernel.web.app import build_app
from modules.tasks.models import Task


def test_demo_gives_the_administrator_a_full_queue_once(make_kernel: Any, login_as: Any) -> None:
    kernel = make_kernel(edition="tier2")
    create_user(kernel, "admin", admin=True)
    first = load_demo(kernel)
    assert "colleague login: 'sara'" in first
    assert "already loaded" in load_demo(kernel)
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Task)) == 13
    with TestClient(build_app(kernel)) as c:
        login_as(c, "admin")
        html = c.get("/tasks/kartable").text
        for key in ("overdue", "today", "coming", "sent"):
            part = re.search(rf'data-part="{key}">.*?</section>', html, re.S)
            assert part is not None and "data-task=" in part.group(0), key
        assert "تأیید تخفیف ویژه" in html.split("data-alarm-tray", 1)[1]  # referred to him: an alarm


def test_the_demo_colleague_reads_her_daily_reports(make_kernel: Any, login_as: Any) -> None:
    kernel = make_kernel(edition="tier2")
    create_user(kernel, "admin", admin=True)
    load_demo(kernel)
    from kernel.models import User
    from kernel.security import hash_password
    from kernel.testing import PASSWORD

    with kernel.session() as s:
        s.scalars(select(User).where(User.username == "sara")).one().password_hash = hash_password(PASSWORD)
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        assert c.get("/reminders/daily").status_code == 200
        reports = c.get("/reports/").text
        assert 'href="/reports/base.daily"' in reports
        assert c.get("/reports/base.daily").status_code == 200
