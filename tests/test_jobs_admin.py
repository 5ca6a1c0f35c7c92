"""Failed jobs are visible to an administrator and can be retried; old finished work is purged."""

import datetime as dt

from sqlalchemy import select
from starlette.testclient import TestClient

from kernel.db import utcnow
from kernel.jobs import JobLog, OutboxMessage, enqueue
from kernel.kernel_hooks import purge_finished
from kernel.testing import create_user, csrf
from kernel.web.app import build_app


def test_failed_message_is_listed_and_retried(make_kernel, login_as):
    k = make_kernel()
    create_user(k, "admin", admin=True)
    with k.session() as s:
        mid = enqueue(s, "sms.send", {"to": "+989121234567"})
        msg = s.get(OutboxMessage, mid)
        msg.status, msg.attempts, msg.last_error = "failed", 5, "provider said: invalid key"
    with TestClient(build_app(k)) as c:
        login_as(c, "admin")
        page = c.get("/admin/jobs").text
        assert "sms.send" in page and "invalid key" in page
        c.post("/admin/jobs", data={"csrf": csrf(c, "/admin/jobs"), "op": "retry", "id": str(mid)})
    with k.sessions() as s:
        msg = s.get(OutboxMessage, mid)
        assert (msg.status, msg.attempts) == ("pending", 0)


def test_jobs_page_needs_its_permission(make_kernel, login_as):
    k = make_kernel()
    create_user(k, "clerk", perms=("base.province.view",))
    with TestClient(build_app(k)) as c:
        login_as(c, "clerk")
        assert c.get("/admin/jobs").status_code == 403


def test_purge_keeps_failures_and_recent_work(make_kernel):
    k = make_kernel()
    now = utcnow()
    old = now - dt.timedelta(days=40)
    with k.session() as s:
        for status, done in (("done", old), ("done", now), ("failed", None)):
            mid = enqueue(s, "t", {})
            m = s.get(OutboxMessage, mid)
            m.status, m.done_at = status, done
        s.add_all([JobLog(job_name="j", started_at=old, finished_at=old, ok=True),
                   JobLog(job_name="j", started_at=old, finished_at=old, ok=False, error="boom")])
    with k.session() as s:
        purge_finished(s, now)
    with k.sessions() as s:
        assert sorted(s.scalars(select(OutboxMessage.status))) == ["done", "failed"]
        assert s.scalars(select(JobLog.ok)).all() == [False]
