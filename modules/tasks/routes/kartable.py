"""The work queue page (kartable, TSK-05); a manager picks any user's queue."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from kernel import Route
from kernel.models import User
from kernel.persian.textnorm import to_ascii_digits
from kernel.web.cells import HIDDEN
from kernel.web.forms import redirect
from kernel.web.resource_views import titles_for
from kernel.web.templating import render
from modules.tasks.queue import work_queue

VIEW = "tasks.task.view"
ALL_USERS = "tasks.kartable.all_users"


def chosen_user(request: Request) -> int:
    """The queue shown: one's own, or (with "tasks of all users") the one picked."""
    actor = request.state.actor
    raw = to_ascii_digits(request.query_params.get("user", "")).strip()
    if raw.isdigit() and actor.can(ALL_USERS):
        return int(raw)
    return int(actor.user_id)


def partner_field(part: Any) -> str:
    return part.source.partner_field if part.source is not None else "partner_id"


def page(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    user_id = chosen_user(request)
    with kernel.sessions() as session:
        # Only the name: loading the User entity would load its roles and permissions too.
        who = select(User.id, User.username, User.full_name)
        user = session.execute(who.where(User.id == user_id)).first()
        if user is None:
            user_id = actor.user_id
            user = session.execute(who.where(User.id == user_id)).first()
        parts = work_queue(kernel, session, actor, user_id)
        users: list[Any] = []
        if actor.can(ALL_USERS):
            users = list(session.execute(who.where(User.is_active.is_(True)).order_by(User.full_name, User.username)))
        names = titles_for(kernel, session, {
            "@user": {r.assignee_id for p in parts for r in p.rows if getattr(r, "assignee_id", None)},
            "base.partner": {getattr(r, field) for p in parts for r in p.rows
                             if (field := partner_field(p)) and getattr(r, field, None)},
        }, actor)
    return render(request, "tasks/kartable.html", {
        "parts": parts, "user": user, "users": users, "own": user_id == actor.user_id, "names": names,
        "hidden": HIDDEN,
    })


def sent(request: Request) -> Response:
    """"Sent tasks": the task list filtered to what I referred, with each one's progress."""
    return redirect(f"/tasks/task/?f_referred_by_id={int(request.state.actor.user_id)}")


def routes() -> list[Route]:
    return [Route("/kartable", page, methods=["GET"], permission=VIEW, name="kartable"),
            Route("/sent", sent, methods=["GET"], permission=VIEW, name="sent")]
