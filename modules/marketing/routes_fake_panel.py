"""The fake SMS panel served by the app itself, for the demo (``make run``): the same answers as
the tests' fake panel server (:func:`modules.marketing.fake_panel.api.answer`), under
``/marketing/fake-panel/v1/…``. Answers only in a database whose demo data switched it on
(setting ``marketing.fake_panel``); anywhere else it is a 404, so a real installation has no
fake panel to talk to."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kernel import PUBLIC, Route
from modules.marketing.demo import DEMO_KEY, DEMO_MARK
from modules.marketing.fake_panel.api import answer
from modules.marketing.fake_panel.server import form_params, json_body
from modules.marketing.fake_panel.state import PanelState

_STATE = PanelState(api_key=DEMO_KEY)  # one per process: the demo's panel lives as long as the server


def fake_panel(request: Request) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        if not kernel.setting(session, DEMO_MARK, False):
            return JSONResponse({"error": "not found"}, status_code=404)
    form = request.state.form
    body = urlencode(list(form.multi_items())) if form is not None else ""
    raw = getattr(request.state, "body", b"") or b""
    headers = {k.lower(): v for k, v in request.headers.items()}
    status, out = answer(_STATE, "/" + request.path_params["path"], form_params(request.url.query, body), headers,
                         json_body(raw.decode("utf-8", "replace")) if raw else None)
    return Response(json.dumps(out, ensure_ascii=False), status_code=status, media_type="application/json")


def routes() -> list[Route]:
    return [Route("/fake-panel/{path:path}", fake_panel, methods=["GET", "POST"], permission=PUBLIC, csrf=False,
                  name="fake_panel")]
