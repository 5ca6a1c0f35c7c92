"""A PUBLIC route may go without the CSRF check (``Route(csrf=False)``) — an SMS panel posting
delivery reports authenticates by a secret in the URL, not a session — and no other may."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.testclient import TestClient

from kernel import PUBLIC, Route


def _echo(request: Request) -> Response:
    return PlainTextResponse("ok")


def test_only_a_public_route_may_skip_the_csrf_check() -> None:
    with pytest.raises(ValueError, match="CSRF"):
        Route("/x", _echo, methods=["POST"], permission="some.permission", csrf=False)


def test_a_post_without_a_token_reaches_an_exempt_route_and_not_a_guarded_one(make_kernel: Any) -> None:
    from kernel.web.app import build_app

    kernel = make_kernel()
    app: Starlette = build_app(kernel)
    app.router.routes.insert(0, Route("/hook-open", _echo, methods=["POST"], permission=PUBLIC, csrf=False))
    app.router.routes.insert(0, Route("/hook-guarded", _echo, methods=["POST"], permission=PUBLIC))
    with TestClient(app) as client:
        assert client.post("/hook-open", data={"a": "1"}).text == "ok"
        assert client.post("/hook-guarded", data={"a": "1"}).status_code in (400, 403)
