"""``/carpet/settings``: the panel line customers send their card's code to (printed on the cards
and in their QR code; when set, only messages to that line are read as registrations) and the
four reply texts. Texts take marketing's placeholders plus ``{card_code}``."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kernel import InputError, Route
from kernel.persian.textnorm import to_ascii_digits
from kernel.web.forms import error_text, flash, form, redirect
from kernel.web.templating import render
from modules.carpet.services.registration import DEFAULTS, REPLIES, SETTING, settings

EDIT = "carpet.settings.edit"


def page(request: Request, error: str = "", values: dict[str, str] | None = None, status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        current = values or settings(kernel, session)
    return render(request, "carpet/settings.html", {"values": current, "replies": REPLIES, "error": error}, status)


def save(request: Request) -> Response:
    from modules.marketing import placeholders

    kernel = request.app.state.kernel
    data = form(request)
    values = {k: str(data.get(k) or "").strip() for k in DEFAULTS}
    values["line"] = to_ascii_digits(values["line"]).replace(" ", "")
    try:
        if values["line"] and not values["line"].lstrip("+").isdigit():
            raise InputError("A panel line is its number, digits only")
        known = placeholders.declared(kernel)
        for key in REPLIES:
            if not values[key]:
                raise InputError("Write every reply text")
            placeholders.check(values[key], known)
    except InputError as exc:
        return page(request, error_text(request, exc), values, 422)
    with kernel.session(request.state.actor) as session:
        kernel.set_setting(session, SETTING, values)
    flash(request, "Saved")
    return redirect("/carpet/settings")


def routes() -> list[Any]:
    return [Route("/settings", page, methods=["GET"], permission=EDIT, name="settings"),
            Route("/settings", save, methods=["POST"], permission=EDIT, name="settings_save")]
