""""Who called today": the call list filtered to the local day (Jalali, the instance's time zone)."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from kernel import Route
from kernel.persian.jalali import format_jalali
from kernel.timezone import local_today
from kernel.web.forms import redirect


def today_url(tz: str, user_id: int | None = None) -> str:
    day = format_jalali(local_today(tz), "fa", "short")  # shown back in the filter: Persian digits
    mine = {"f_user_id": user_id} if user_id else {}
    return "/telephony/call/?" + urlencode({"f_started_at__from": day, "f_started_at__to": day, **mine})


def today(request: Request) -> Response:
    return redirect(today_url(request.app.state.kernel.config.timezone))


def my_today(request: Request) -> Response:
    """"My calls today": the calls of the extensions the user answers."""
    return redirect(today_url(request.app.state.kernel.config.timezone, request.state.actor.user_id))


def routes() -> list[Route]:
    return [Route("/today", today, methods=["GET"], permission="telephony.call.view", name="today"),
            Route("/today/mine", my_today, methods=["GET"], permission="telephony.call.view", name="my_today")]
