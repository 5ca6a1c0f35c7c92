"""The application's router, with its routes indexed by their paths' leading segments.

Starlette tries an application's routes one by one, a regular expression each. With every
module's resource pages there are about 800 of them, so a request for a module's own page
(``/finance/proforma/7/convert``, a ``Mount`` at the end of the list) tried them all: 0.35–0.45 ms
of every request on the 2-core machine of docs/PERFORMANCE.md, before any of its work.

:class:`IndexedRouter` tries, in their order, only the routes whose fixed leading segments (up
to two) are the request's own or a prefix of them: for ``/finance/proforma/7/convert`` those of
``/finance/proforma/…``, the ``/finance`` mount, and those that fix no segment (``/{x}``, a host,
a root mount). A route outside that set cannot match, so the first full match is the one
Starlette's own loop would find. Anything else (a 405's partial match, a 404, the slash redirect) goes to
Starlette's loop unchanged: those are rare, and their rules stay Starlette's.
"""

from __future__ import annotations

from typing import Any

from starlette.routing import Match, Mount, Route, Router, get_route_path
from starlette.types import Receive, Scope, Send

DEPTH = 2  # leading segments indexed: a module's resource pages all share their first one


def segments(path: str) -> tuple[str, ...]:
    """The path's first :data:`DEPTH` segments: ``/finance/proforma/7`` → ``("finance", "proforma")``."""
    return tuple(path.split("/")[1:DEPTH + 1]) if path.startswith("/") else ()


def _fixed_prefix(route: Any) -> tuple[str, ...]:
    """The leading segments every path the route matches starts with (none: tried for every path)."""
    path = route.path if isinstance(route, Route | Mount) else None
    if path is None or not path.startswith("/"):
        return ()  # a host route, a root mount ("" path), anything unknown
    fixed: list[str] = []
    for seg in segments(path):
        if "{" in seg:
            break
        fixed.append(seg)
    return tuple(fixed)


class IndexedRouter(Router):
    """A :class:`starlette.routing.Router` that tries only the routes a path can match."""

    _index: dict[tuple[str, ...], list[Any]]
    _indexed: tuple[int, int] = (0, -1)  # (id, length) of the routes list the index was built from

    def candidates(self, path: str) -> list[Any]:
        """The routes that may match ``path``, in their order: those whose fixed leading segments
        are the path's own or a prefix of them."""
        key = (id(self.routes), len(self.routes))
        if key != self._indexed:  # built on first use, and again if routes were added since
            fixed = [_fixed_prefix(r) for r in self.routes]
            keys = {p[:n] for p in fixed for n in range(1, len(p) + 1)}
            self._index = {k: [r for r, p in zip(self.routes, fixed, strict=True) if p == k[:len(p)]]
                           for k in keys | {()}}
            self._indexed = key
        segs = segments(path)
        for n in range(len(segs), 0, -1):
            found = self._index.get(segs[:n])
            if found is not None:
                return found
        return self._index[()]

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if "router" not in scope:
                scope["router"] = self
            for route in self.candidates(get_route_path(scope)):
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    scope["route"] = route
                    scope.update(child_scope)
                    await route.handle(scope, receive, send)
                    return
                if match is Match.PARTIAL:
                    break  # Starlette's loop decides between partial matches
        await super().app(scope, receive, send)
