"""``/sales/settings``: after how many days without activity a lead or a deal counts as forgotten."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kernel import Route
from kernel.persian.textnorm import to_ascii_digits
from kernel.web.forms import flash, form, redirect, tr
from kernel.web.templating import render
from modules.sales.services.forgotten import SETTING, forgotten_days

EDIT = "sales.pipeline.edit"


def page(request: Request, error: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        days = forgotten_days(kernel, session)
    return render(request, "sales/settings.html", {"days": days, "error": error}, status)


def save(request: Request) -> Response:
    kernel = request.app.state.kernel
    text = to_ascii_digits(str(form(request).get("forgotten_days") or "")).strip()
    if not text.isdigit() or not 1 <= int(text) <= 365:
        return page(request, tr(request, "Enter a number of days from 1 to 365"), 422)
    with kernel.session(request.state.actor) as session:
        kernel.set_setting(session, SETTING, int(text))
    flash(request, "Saved")
    return redirect("/sales/settings")


def routes() -> list[Any]:
    return [Route("/settings", page, methods=["GET"], permission=EDIT, name="settings"),
            Route("/settings", save, methods=["POST"], permission=EDIT, name="settings_save")]
