"""``POST /scan``: a code no field took, answered by the modules (``kernel.scan``). JSON in
(``{code, format, page}``, the CSRF token in ``X-CSRF-Token``), JSON out: ``{open}``,
``{reload, message}`` or ``{message}``. Bad input is a 400 with a Persian message, never a 500."""

from __future__ import annotations

import json
from typing import Any

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


def routes() -> list[Route]:
    return [Route("/scan", scan, methods=["POST"], permission=AUTHENTICATED, name="scan")]
