"""A limit on request bodies for every route, enforced before the body is read.

Without it a body that is not a form was read whole, even on public routes: four parallel
300 MB posts to ``/login`` took the server from 183 MB to 2 GB. A declared length over the
limit is refused at once with 413; a body that arrives without a length (chunked) is counted
as it streams and refused as soon as it passes the limit. Uploads (multipart forms) keep their
own, larger limit.
"""

from __future__ import annotations

import html
import json
from typing import TYPE_CHECKING, Any

from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kernel.errors import BodyTooLarge
from kernel.i18n import accept_language
from kernel.persian.textnorm import to_persian_digits

if TYPE_CHECKING:
    from kernel.kernel import Kernel

TOO_LARGE = "The request is too large (at most {size})"
UPLOAD_SLACK = 64 * 1024
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")  # the other fields and the multipart framing around an uploaded file


def _size(n: int, lang: str) -> str:
    if lang == "fa":
        return to_persian_digits(f"{n // (1024 * 1024)} مگابایت" if n >= 1024 * 1024 else f"{max(n // 1024, 1)} کیلوبایت")
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)} KB"


def _route_limit(routes: list[Any], scope: Scope) -> int | None:
    """The ``max_body`` of the route that will answer this request, if it declared one."""
    for route in routes:
        match, child = route.matches(scope)
        if match == Match.NONE:
            continue
        if isinstance(route, Mount):
            return _route_limit(route.routes, {**scope, **child})
        if match == Match.FULL:
            return getattr(route, "max_body", None)
    return None


class BodyLimit:
    def __init__(self, app: ASGIApp, kernel: Kernel) -> None:
        self.app = app
        self.kernel = kernel

    def default_limit(self, scope: Scope) -> int:
        content_type = dict(scope.get("headers", [])).get(b"content-type", b"").decode("latin-1")
        if content_type.startswith("multipart/form-data"):
            return self.kernel.config.max_upload_bytes + UPLOAD_SLACK
        return self.kernel.config.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope.get("method") in SAFE_METHODS:  # their bodies are never read
            await self.app(scope, receive, send)
            return
        limit = self.default_limit(scope)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is None or not declared.isdigit() or int(declared) > limit:
            # Only then is the answering route looked up: it may accept more (an import).
            app = scope.get("app")
            limit = max(limit, _route_limit(getattr(app, "routes", []), scope) or 0)
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self.refuse(scope, send, limit)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await self.refuse(scope, send, limit)

    async def refuse(self, scope: Scope, send: Send, limit: int) -> None:
        session = scope.get("session") or {}
        lang = str(session.get("lang", "fa")) if isinstance(session, dict) else "fa"
        api = scope.get("path", "").startswith("/api/")
        if api:  # API clients have no session: they say their language in Accept-Language
            lang = accept_language(dict(scope.get("headers", [])).get(b"accept-language", b"").decode("latin-1"))
        text = self.kernel.t(lang, TOO_LARGE).format(size=_size(limit, lang))
        if api:
            body = json.dumps({"error": text}, ensure_ascii=False).encode()
            ctype = b"application/json"
        else:
            direction = "rtl" if lang == "fa" else "ltr"
            body = (f'<!doctype html><html lang="{lang}" dir="{direction}"><meta charset="utf-8">'
                    f"<p>{html.escape(text)}</p></html>").encode()
            ctype = b"text/html; charset=utf-8"
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
