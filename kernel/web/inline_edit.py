"""Editing one field of a record in place, from its list (``Resource.inline``).

The list's cell is a tiny form posting here; the same permission, record scope, validation,
history and events as the full form apply, because this is a partial update through
:func:`kernel.records.update_record`. A script may post with ``Accept: application/json`` and
get the new cell text (or the error) back instead of a page.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kernel import records
from kernel.errors import Conflict, InputError, NotFound
from kernel.records import FormErrors
from kernel.resources import Resource
from kernel.web.forms import error_text, form, redirect, safe_next
from kernel.web.templating import render, request_lang


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def inline_view(res: Resource) -> Any:
    def view(request: Request) -> Response:
        kernel = request.app.state.kernel
        actor = request.state.actor
        rid = request.path_params["id"]
        data = form(request)
        back = safe_next(str(data.get("back", "")) or res.url)
        raw = {n: str(data.get(n, "")) for n in res.inline if n in data}
        values, errors = records.parse_values(kernel, res, raw, partial=True, money_unit=actor.money_unit)
        message = ""
        if not raw:
            message = kernel.t(request_lang(request), "Nothing to change")
        elif errors:
            message = "; ".join(error_text(request, e) for e in errors.values())
        else:
            try:
                with kernel.session(actor) as session:
                    obj = records.update_record(kernel, session, actor, res, rid, values)
                    shown = {n: res.field(n).display(getattr(obj, n), request_lang(request), actor.money_unit,
                                                     kernel.t, kernel.config.timezone) for n in raw}
            except FormErrors as exc:
                message = "; ".join(error_text(request, e) for e in exc.errors.values())
            except (InputError, Conflict) as exc:
                message = error_text(request, exc)
            except NotFound:
                if _wants_json(request):
                    return JSONResponse({"error": kernel.t(request_lang(request), "Not found")}, status_code=404)
                return render(request, "kernel/message.html",
                              {"message": kernel.t(request_lang(request), "Not found"), "status": 404}, 404)
        if message:
            if _wants_json(request):
                return JSONResponse({"error": message}, status_code=400)
            return render(request, "kernel/message.html", {"message": message, "status": 400, "back": back}, 400)
        if _wants_json(request):
            return JSONResponse({"ok": True, "values": shown})
        return redirect(back)

    return view
