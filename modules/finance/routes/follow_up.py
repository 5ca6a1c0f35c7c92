"""The follow-up form of a proforma (FIN-05): F4 on the proforma's row in the list or on its page
opens it. Owner, note and next date (Jalali date and local time) are saved through
:mod:`services.follow_ups`; cancelling takes a reason from ``finance.cancel_reason``. A refusal
comes back on the form with Persian messages beside the fields, nothing saved."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from kernel import Conflict, InputError, NotFound, PermissionDenied, Route
from kernel.models import User
from kernel.persian.numbers import parse_int
from kernel.persian.textnorm import clean_input
from kernel.records import FormErrors, get_record
from kernel.web.forms import error_text, flash, redirect
from kernel.web.templating import render
from modules.finance.services import follow_ups

EDIT = "finance.proforma.edit"


def _id(raw: str | None) -> int | None:
    text = clean_input(raw or "")
    if not text:
        return None
    try:
        return parse_int(text)
    except InputError:
        return -1  # not a listed value: refused by the service as such


def _page(request: Request, pid: int, typed: dict[str, str], errors: dict[str, str], status: int = 200) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    with kernel.sessions() as session:
        try:
            doc = get_record(kernel, session, actor, kernel.resources["finance.proforma"], pid, "edit")
        except PermissionDenied:  # outside the scope: not told apart from missing
            raise NotFound() from None
        entries = follow_ups.history(session, pid)
        users = list(session.execute(select(User.id, User.username, User.full_name)
                                     .where(User.is_active.is_(True)).order_by(User.full_name, User.username)))
        reasons = follow_ups.reasons(session)
    names = {u.id: u.full_name or u.username for u in users}
    current = entries[0] if entries else None
    assignee = typed.get("assignee_id") or str(current.assignee_id if current and current.assignee_id
                                                else actor.user_id)
    return render(request, "finance/follow_up.html", {
        "doc": doc, "entries": entries, "users": users, "names": names, "reasons": reasons,
        "typed": typed, "errors": errors, "assignee": assignee, "open": doc.state in follow_ups.OPEN_STATES,
        "back": f"/finance/proforma/{pid}",
    }, status)


def page(request: Request) -> Response:
    return _page(request, int(request.path_params["id"]), {}, {})


def _run(request: Request, action: Any) -> Response:
    kernel = request.app.state.kernel
    pid = int(request.path_params["id"])
    form = request.state.form
    typed = {k: str(v) for k, v in form.items() if k != "csrf"} if form is not None else {}
    try:
        with kernel.session(request.state.actor) as session:
            action(kernel, session, request.state.actor, pid, typed)
    except FormErrors as exc:
        return _page(request, pid, typed, {k: error_text(request, v) for k, v in exc.errors.items()}, 400)
    except PermissionDenied:  # outside the scope: not told apart from missing
        raise NotFound() from None
    except (Conflict, InputError) as exc:
        return _page(request, pid, typed, {"__all__": error_text(request, exc)}, 409)
    flash(request, "Saved.")
    return redirect(f"/finance/proforma/{pid}")


def _save(kernel: Any, session: Any, actor: Any, pid: int, typed: dict[str, str]) -> None:
    at = follow_ups.parse_next(typed.get("next_date", ""), typed.get("next_time", ""), kernel.config.timezone)
    follow_ups.record(kernel, session, actor, pid, assignee_id=_id(typed.get("assignee_id")),
                      note=typed.get("note", ""), next_at=at)


def _cancel(kernel: Any, session: Any, actor: Any, pid: int, typed: dict[str, str]) -> None:
    follow_ups.cancel(kernel, session, actor, pid, _id(typed.get("reason_id")), typed.get("cancel_note", ""))


def save(request: Request) -> Response:
    return _run(request, _save)


def cancel(request: Request) -> Response:
    return _run(request, _cancel)


def routes() -> list[Route]:
    return [
        Route("/proforma/{id:int}/follow-up", page, methods=["GET"], permission=EDIT, name="proforma_follow_up_page"),
        Route("/proforma/{id:int}/follow-up", save, methods=["POST"], permission=EDIT, name="proforma_follow_up"),
        Route("/proforma/{id:int}/follow-up/cancel", cancel, methods=["POST"], permission=EDIT,
              name="proforma_follow_up_cancel"),
    ]
