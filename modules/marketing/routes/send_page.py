"""The send's progress as JSON, polled by its page while its messages go out."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kernel import NotFound, Route
from kernel.records import get_record
from modules.marketing.progress import progress

VIEW = "marketing.send.view"


def progress_json(request: Request) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        try:
            send = get_record(kernel, session, request.state.actor, kernel.resources["marketing.send"],
                              int(request.path_params["id"]))
        except NotFound:
            return JSONResponse({"error": "not found"}, status_code=404)
        return JSONResponse(progress(session, send.id).as_json(send.state))


def routes() -> list[Route]:
    return [Route("/send/{id:int}/progress", progress_json, methods=["GET"], permission=VIEW, name="send_progress")]
