"""``POST /scan``: a code no field took, answered by the modules (``kernel.scan``). JSON in
(``{code, format, page}``, the CSRF token in ``X-CSRF-Token``), JSON out: ``{open}``,
``{reload, message}`` or ``{message}``. Bad input is a 400 with a Persian message, never a 500."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kernel.errors import Conflict, InputError, NotFound, PermissionDenied
from kernel.routing import AUTHENTICATED, Route
from kernel.scan import FORMATS, MAX_CODE, MAX_PAGE, PAGE_PATTERN, clean_code, resolve
from kernel.web.forms import error_text
from kernel.web.templating import request_lang

BAD = "The scanned code could not be read; scan it again"


def _payload(request: Request) -> dict[str, Any] | None:
    try:
        data = json.loads(getattr(request.state, "body", b"") or b"")
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def scan(request: Request) -> Response:
    kernel = request.app.state.kernel
    lang = request_lang(request)
    data = _payload(request) or {}
    code = clean_code(data.get("code"))
    fmt = str(data.get("format") or "code128")
    page = str(data.get("page") or "/")
    if not code or len(code) > MAX_CODE or fmt not in FORMATS or len(page) > MAX_PAGE or not PAGE_PATTERN.match(page):
        return JSONResponse({"message": kernel.t(lang, BAD)}, status_code=400)
    try:
        answer = resolve(kernel, request.state.actor, code, fmt, page)
    except (InputError, Conflict, NotFound, PermissionDenied) as exc:  # a resolver's refusal, said
        return JSONResponse({"message": error_text(request, exc)}, status_code=409)
    out: dict[str, Any] = {}
    if answer.open:
        out["open"] = answer.open
    if answer.reload:
        out["reload"] = True
    if answer.message:
        out["message"] = kernel.t(lang, answer.message, **answer.params)
    return JSONResponse(out)


UNREADABLE = "The card could not be read; swipe it again"
FAILED = "The scan could not be sent; scan again"


def head(request: Request) -> Markup:
    """scan.js, its toast's style, and the words it says in the page's language."""
    kernel = request.app.state.kernel
    lang = request_lang(request)
    return Markup('<meta name="peyvand-scan" data-unreadable="{}" data-failed="{}">'
                  '<link rel="stylesheet" href="/static/kernel/scan.css">'
                  '<script src="/static/kernel/scan.js" defer></script>').format(
        kernel.t(lang, UNREADABLE), kernel.t(lang, FAILED))


def routes() -> list[Route]:
    return [Route("/scan", scan, methods=["POST"], permission=AUTHENTICATED, name="scan")]
