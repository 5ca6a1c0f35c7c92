"""The visible side of jobs (KER-11): periodic jobs, failed messages with a retry, recent failures."""

from __future__ import annotations

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from kernel.db import utcnow
from kernel.jobs import JobLog, JobState, OutboxMessage
from kernel.outbox import FAILED, PENDING
from kernel.routing import Route
from kernel.web.forms import form, redirect
from kernel.web.templating import render

PERM = "kernel.admin.jobs"


def jobs_page(request: Request) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        states = list(session.scalars(select(JobState).order_by(JobState.name)))
        failed = list(session.scalars(select(OutboxMessage).where(OutboxMessage.status == FAILED)
                                      .order_by(OutboxMessage.id.desc()).limit(200)))
        errors = list(session.scalars(select(JobLog).where(JobLog.ok.is_(False))
                                      .order_by(JobLog.id.desc()).limit(100)))
    known = {j.name for j in kernel.jobs}
    return render(request, "kernel/admin/jobs.html", {"states": states, "failed": failed, "errors": errors,
                                                      "known": known})


def jobs_act(request: Request) -> Response:
    """Retry a failed message from the start, or run a periodic job at the next tick."""
    kernel = request.app.state.kernel
    data = form(request)
    with kernel.session(request.state.actor) as session:
        if data.get("op") == "retry" and str(data.get("id", "")).isdigit():
            msg = session.get(OutboxMessage, int(str(data["id"])))
            if msg is not None and msg.status == FAILED:
                msg.status, msg.attempts, msg.available_at = PENDING, 0, utcnow()
        elif data.get("op") == "run":
            state = session.get(JobState, str(data.get("name", "")))
            if state is not None:
                state.next_run_at = utcnow()
    return redirect("/admin/jobs")


def routes() -> list[Route]:
    return [
        Route("/admin/jobs", jobs_page, methods=["GET"], permission=PERM, name="admin_jobs"),
        Route("/admin/jobs", jobs_act, methods=["POST"], permission=PERM, name="admin_jobs_act"),
    ]
