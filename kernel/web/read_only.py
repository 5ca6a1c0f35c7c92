"""The write addresses of a read-only resource (``Resource(read_only=True)``): they exist, so a
form posted there or an API write is answered 405 with the reason in the user's language (and an
``Allow`` header), never a 404 that would read as a wrong address nor a 500."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kernel.resources import Resource
from kernel.routing import Route

READ_ONLY = "These records are written by the system: they cannot be added, changed or deleted here"


def refuse(request: Request) -> Response:
    answer: Response = request.app.state.message(request, READ_ONLY, 405)
    answer.headers["allow"] = "GET"
    return answer


def read_only_routes(res: Resource, writes: list[tuple[str, str]]) -> list[Route]:
    """One route per write address, taking its write methods, answering 405 to anyone who may
    view the resource (who may not gets the usual 403 first)."""
    methods: dict[str, list[str]] = {}
    for path, method in writes:
        methods.setdefault(path, []).append(method)
    return [Route(path, refuse, methods=ms, permission=res.perm("view"), name=f"{res.name}:read-only:{path}")
            for path, ms in methods.items()]
