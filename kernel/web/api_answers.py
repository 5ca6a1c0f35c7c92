"""How the JSON API answers a refusal: in the language the client asks for.

An API client has no session and no user setting for a language; it says it in
``Accept-Language`` (``fa`` → Persian, anything else → English), so an integration showing the
API's 422 messages to Persian users needs no catalogue of its own.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from kernel.i18n import accept_language


def api_lang(request: Request) -> str:
    return accept_language(request.headers.get("accept-language", ""))


def say(request: Request, error: Exception | str, **params: Any) -> str:
    """A message id or an ``InputError``/``Conflict`` in the client's language."""
    catalog = request.app.state.kernel.catalog
    lang = api_lang(request)
    if isinstance(error, str):
        return str(catalog.gettext(lang, error, **params))
    return str(catalog.message(lang, error))


def refusal(request: Request, error: str | Exception, status: int, params: dict[str, Any] | None = None,
            **extra: Any) -> JSONResponse:
    """``{"error": text}`` (plus ``extra`` keys) with ``status``; ``params`` fill the message."""
    return JSONResponse({"error": say(request, error, **(params or {})), **extra}, status_code=status)


def field_messages(request: Request, errors: dict[str, Any]) -> dict[str, str]:
    return {name: say(request, exc) for name, exc in errors.items()}


def field_errors(request: Request, errors: dict[str, Any]) -> JSONResponse:
    """422 with ``{"errors": {field: message}}``: nothing was saved."""
    return JSONResponse({"errors": field_messages(request, errors)}, status_code=422)


def read_body(request: Request) -> dict[str, Any] | None:
    """The JSON object the client sent (read by the route guard), or None if it is not one."""
    try:
        data = json.loads(getattr(request.state, "body", b"") or b"{}")
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
