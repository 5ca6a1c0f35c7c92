"""JSON endpoints of saved snippets (KER-14), used by snippets.js on every long text field.

Any logged-in user keeps their own snippets; sharing one needs ``kernel.snippet.share``. Errors
come back in the user's language as ``{"error": …}`` so the field can show them.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kernel import snippets
from kernel.errors import InputError, NotFound, PermissionDenied
from kernel.routing import AUTHENTICATED, Route
from kernel.web.forms import error_text, tr


def _payload(request: Request) -> dict[str, Any] | None:
    """A JSON object body, or the form fields; None when the body is neither."""
    if getattr(request.state, "form", None) is not None:
        return {k: request.state.form.get(k) for k in ("title", "body", "shared")}
    try:
        data = json.loads(getattr(request.state, "body", b"") or b"{}")
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def list_view(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    with kernel.sessions() as session:
        items = snippets.visible(session, actor, str(request.query_params.get("q", ""))[:200])
        return JSONResponse({"items": [snippets.as_json(s, actor) for s in items],
                             "can_share": actor.can(snippets.SHARE_PERMISSION)})


def add_view(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    data = _payload(request)
    if data is None:
        return JSONResponse({"error": tr(request, "The request could not be read")}, status_code=400)
    title, body = data.get("title") or "", data.get("body") or ""
    if not isinstance(title, str) or not isinstance(body, str):
        return JSONResponse({"error": tr(request, "The request could not be read")}, status_code=400)
    shared = data.get("shared") in (True, "1", "on", "true")
    try:
        with kernel.session(actor) as session:
            out = snippets.as_json(snippets.add(session, actor, title, body, shared), actor)
    except PermissionDenied as exc:
        return JSONResponse({"error": tr(request, str(exc))}, status_code=403)
    except InputError as exc:
        return JSONResponse({"error": error_text(request, exc)}, status_code=400)
    return JSONResponse(out, status_code=201)


def delete_view(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    try:
        with kernel.session(actor) as session:
            snippets.remove(session, actor, int(request.path_params["id"]))
    except NotFound:
        return JSONResponse({"error": tr(request, "Not found")}, status_code=404)
    return JSONResponse({"ok": True})


def routes() -> list[Route]:
    return [
        Route("/snippets", list_view, methods=["GET"], permission=AUTHENTICATED, name="kernel:snippets"),
        Route("/snippets", add_view, methods=["POST"], permission=AUTHENTICATED, name="kernel:snippet_add"),
        Route("/snippets/{id:int}/delete", delete_view, methods=["POST"], permission=AUTHENTICATED,
              name="kernel:snippet_delete"),
    ]
