"""The recycle bin (KER-07): deleted records of every resource, restore or delete for good."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from kernel import records
from kernel.errors import Conflict, InputError, NotFound
from kernel.records import ListQuery
from kernel.routing import Route
from kernel.web.forms import error_text, flash, form, redirect
from kernel.web.templating import render


def trash(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    groups = []
    with kernel.sessions() as session:
        for res in kernel.resources.values():
            if not actor.can(res.perm("delete")):
                continue
            page = records.list_records(kernel, session, actor, res, ListQuery(limit=200, sort="-updated_at"),
                                        action="delete", deleted=True)
            if page.items:
                groups.append({"res": res, "items": [(o.id, res.title_of(o), o.deleted_at) for o in page.items]})
    return render(request, "kernel/trash.html", {"groups": groups, "message": request.query_params.get("msg", "")})


def act(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    data = form(request)
    res = kernel.resources.get(str(data.get("resource", "")))
    rid = str(data.get("id", ""))
    if res is None or not rid.isdigit():
        return redirect("/trash")
    try:
        with kernel.session(actor) as session:
            if data.get("op") == "restore":
                records.restore_record(kernel, session, actor, res, int(rid))
            elif data.get("op") == "purge":
                records.purge_record(kernel, session, actor, res, int(rid))
    except (Conflict, InputError, NotFound, records.FormErrors) as exc:
        return redirect("/trash?msg=" + quote(error_text(request, exc)))
    if data.get("op") == "restore":
        flash(request, "Restored.")  # the record left the bin: say where the user's click went
    return redirect("/trash")


def routes() -> list[Route]:
    return [
        Route("/trash", trash, methods=["GET"], permission="kernel.trash.view", name="trash"),
        Route("/trash", act, methods=["POST"], permission="kernel.trash.view", name="trash_act"),
    ]
