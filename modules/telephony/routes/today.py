""""Who called today": the call list filtered to the local day (Jalali, the instance's time zone)."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from kernel import Route
from kernel.persian.jalali import format_jalali
from kernel.timezone import local_today
from kernel.web.forms import redirect


def today_url(tz: str) -> str:
    day = format_jalali(local_today(tz), "fa", "short")  # shown back in the filter: Persian digits
    return "/telephony/call/?" + urlencode({"f_started_at__from": day, "f_started_at__to": day})


def today(request: Request) -> Response:
    return redirect(today_url(request.app.state.kernel.config.timezone))


def routes() -> list[Route]:
    return [Route("/today", today, methods=["GET"], permission="telephony.call.view", name="today")]
