"""The send's progress as JSON, polled by its page while its messages go out."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kernel import NotFound, Route
from kernel.records import get_record
from kernel.web.templating import request_lang
from modules.marketing.models.message import MESSAGE_STATES
from modules.marketing.progress import progress, shown_states

VIEW = "marketing.send.view"


def progress_json(request: Request) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        try:
            send = get_record(kernel, session, request.state.actor, kernel.resources["marketing.send"],
                              int(request.path_params["id"]))
        except NotFound:
            return JSONResponse({"error": "not found"}, status_code=404)
        got = progress(session, send.id).as_json(send.state)
        # Each listed recipient's state, already in the reader's language: the page changes a
        # row's state as its delivery report arrives, without reloading.
        labels = {key: kernel.t(request_lang(request), label) for key, label in MESSAGE_STATES}
        got["rows"] = {str(i): [st, labels.get(st, st)] for i, st in shown_states(session, send.id).items()}
        return JSONResponse(got)


def routes() -> list[Route]:
    return [Route("/send/{id:int}/progress", progress_json, methods=["GET"], permission=VIEW, name="send_progress")]
