"""``/insurance/settings``: the days before a policy's end when its agent is alarmed and the
insured gets the renewal SMS, and the two SMS texts (placeholders are checked by marketing)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kernel import InputError, Route
from kernel.persian.textnorm import to_ascii_digits
from kernel.web.forms import error_text, flash, form, redirect, tr
from kernel.web.templating import render
from modules.insurance.services.settings import (
    ALARM_DAYS,
    RENEWAL_TEXT,
    THANKS_TEXT,
    alarm_days,
    renewal_text,
    thanks_text,
)

SETTINGS = "insurance.settings"


def page(request: Request, errors: dict[str, str] | None = None, typed: dict[str, str] | None = None,
         status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        values = {"days": str(alarm_days(kernel, session)), "renewal": renewal_text(kernel, session),
                  "thanks": thanks_text(kernel, session)}
    values.update(typed or {})
    return render(request, "insurance/settings.html", {"values": values, "problems": errors or {}}, status)


def _check_text(kernel: Any, text: str) -> None:
    from modules.marketing.placeholders import check, declared

    check(text, declared(kernel))


def save(request: Request) -> Response:
    kernel = request.app.state.kernel
    data = form(request)
    typed = {k: str(data.get(k) or "").strip() for k in ("days", "renewal", "thanks")}
    errors: dict[str, str] = {}
    days = to_ascii_digits(typed["days"])
    if not days.isdigit() or not 1 <= int(days) <= 365:
        errors["days"] = tr(request, "Alarm days: a whole number from 1 to 365")
    for key in ("renewal", "thanks"):
        if not typed[key]:
            errors[key] = tr(request, "This field is required")
            continue
        try:
            _check_text(kernel, typed[key])
        except InputError as exc:
            errors[key] = error_text(request, exc)
    if errors:
        return page(request, errors, typed, 422)
    with kernel.session(request.state.actor) as session:
        kernel.set_setting(session, ALARM_DAYS, int(days))
        kernel.set_setting(session, RENEWAL_TEXT, typed["renewal"])
        kernel.set_setting(session, THANKS_TEXT, typed["thanks"])
    flash(request, "Saved")
    return redirect("/insurance/settings")


def routes() -> list[Any]:
    return [Route("/settings", page, methods=["GET"], permission=SETTINGS, name="settings"),
            Route("/settings", save, methods=["POST"], permission=SETTINGS, name="settings_save")]
