"""What the sales pages share: reading a typed number, answering a form or a script."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kernel.persian.textnorm import to_ascii_digits
from kernel.web.forms import error_text, flash, redirect


def number(value: Any) -> int | None:
    text = to_ascii_digits(str(value or "")).replace(",", "").replace("٬", "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def done(request: Request, url: str, msgid: str, extra: dict[str, Any] | None = None) -> Response:
    if wants_json(request):
        return JSONResponse({"ok": True, **(extra or {})})
    flash(request, msgid)
    return redirect(url)


def refused(request: Request, exc: Exception, page: Any) -> Response:
    """A rule said no: a script gets the message (422), a form its page again with it."""
    if wants_json(request):
        return JSONResponse({"ok": False, "error": error_text(request, exc)}, status_code=422)
    return page(error_text(request, exc))
