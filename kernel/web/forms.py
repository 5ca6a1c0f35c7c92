"""Small helpers the views share: form data, client address, translated errors, redirects."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse

from kernel.errors import InputError
from kernel.web.templating import FLASH, request_lang


def form(request: Request) -> Any:
    return request.state.form if getattr(request.state, "form", None) is not None else {}


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def tr(request: Request, msgid: str, **params: Any) -> str:
    return str(request.app.state.kernel.t(request_lang(request), msgid, **params))


def error_text(request: Request, exc: Exception) -> str:
    """An InputError/Conflict in the user's language; lists of (label, count) become prose."""
    lang = request_lang(request)
    kernel = request.app.state.kernel
    fields = getattr(exc, "errors", None)
    if isinstance(fields, dict) and fields:
        # FormErrors outside a form (a listener's refusal on restore): its messages, translated.
        return ("، " if lang == "fa" else "; ").join(error_text(request, e) for e in fields.values())
    params = dict(getattr(exc, "params", {}))
    for key, value in params.items():
        if isinstance(value, list) and value and isinstance(value[0], tuple):
            sep = "، " if lang == "fa" else ", "
            params[key] = sep.join(f"{kernel.t(lang, label)} ({kernel.t(lang, '{n}', n=count)})"
                                   for label, count in value)
    return str(kernel.t(lang, getattr(exc, "msgid", str(exc)), **params))


def field_errors(request: Request, errors: dict[str, InputError]) -> dict[str, str]:
    return {name: error_text(request, exc) for name, exc in errors.items()}


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def flash(request: Request, msgid: str) -> None:
    """A one-line confirmation ("Saved.") for the next page rendered, wherever the redirect goes
    (a record page, a task the form was opened from, a module's page). Kept in the session as the
    message id, so it is translated into the language of the page that shows it."""
    request.session[FLASH] = msgid


def safe_next(url: str | None) -> str:
    """Only same-site paths: an open redirect after login would help phishing."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return "/"
    return url
