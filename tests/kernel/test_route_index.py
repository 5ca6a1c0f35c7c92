"""The application's router tries only the routes a path's first segment allows
(kernel/web/route_index.py); every path must still reach the route Starlette's own loop reaches."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from starlette.routing import Match, Mount, Router

from kernel.web.app import build_app
from kernel.web.route_index import IndexedRouter

_PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")


def _sample(path: str) -> str:
    """A concrete path for a route's pattern: 7 for an int, "x" for a string, "a/b" for a path."""
    return _PARAM.sub(lambda m: {"int": "7", "path": "a/b"}.get(m.group(2) or "", "x"), path)


def _paths(routes: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    for r in routes:
        if isinstance(r, Mount):
            yield from _paths(r.routes or [], prefix + r.path) if r.routes else iter([("GET", prefix + r.path + "/x")])
            continue
        for method in sorted(r.methods or {"GET"}):
            yield method, prefix + r.path


def _first_full(routes: list[Any], scope: dict[str, Any]) -> Any:
    """The route Starlette's loop hands a request to: the first full match."""
    for route in routes:
        match, _child = route.matches(scope)
        if match is Match.FULL:
            return route
    return None


def _scope(method: str, path: str) -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "root_path": "", "headers": [], "query_string": b""}


def test_every_route_of_every_module_is_reached_as_starlette_reaches_it(make_kernel):
    kernel = make_kernel("tier5")
    app = build_app(kernel)
    router = app.router
    assert isinstance(router, IndexedRouter)
    plain = Router(router.routes)  # Starlette's own loop over the same routes
    checked = 0
    for method, pattern in _paths(router.routes):
        path = _sample(pattern)
        scope = _scope(method, path)
        expected = _first_full(plain.routes, scope)
        assert expected is not None, f"{method} {path} matches no route at all"
        assert _first_full(router.candidates(path), scope) is expected, f"{method} {path}"
        checked += 1
    assert checked > 500  # every module's pages, not a handful


def test_a_module_page_tries_far_fewer_routes(make_kernel):
    router = build_app(make_kernel("tier5")).router
    assert isinstance(router, IndexedRouter)
    assert len(router.candidates("/finance/proforma/7/convert")) < 30 < len(router.routes) / 10


def test_wrong_method_unknown_path_and_slash_redirect_are_starlette_s(make_kernel):
    from starlette.testclient import TestClient

    kernel = make_kernel("tier3")
    indexed, plain = build_app(kernel), build_app(kernel)
    plain.router = Router(plain.router.routes)  # Starlette's own loop, before the first request
    odd = [("PUT", "/login"),  # a known path, a method it does not take: the partial match's 405
           ("GET", "/no-such-module/x"), ("GET", "/finance/no-such-page"),  # 404 pages
           ("GET", "/finance/proforma"), ("GET", "/login/"), ("GET", "/base/partner"),  # slashes
           ("POST", "/finance/proforma/7/issue"), ("GET", "/static/kernel/no-such.css")]
    with TestClient(indexed) as a, TestClient(plain) as b:
        for method, path in odd:
            got, want = (c.request(method, path, follow_redirects=False) for c in (a, b))
            assert (got.status_code, got.headers.get("location")) == (want.status_code, want.headers.get("location")), \
                f"{method} {path}"
            assert got.status_code != 500
        assert a.put("/login").status_code == 405


def test_routes_added_after_the_first_request_are_found(make_kernel, web_client):
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    kernel = make_kernel("tier1")
    client = web_client(kernel)
    assert client.get("/late-page").status_code == 404
    client.app.router.routes.append(Route("/late-page", lambda request: PlainTextResponse("late")))
    assert client.get("/late-page").text == "late"
