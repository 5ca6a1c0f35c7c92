"""A GSM modem panel's status page ("Check: modem"): opens the modem's port now and shows the
SIM's PIN state, the signal, the network registration and the model — or why the port could
not be used (not there, held by another program, a SIM asking for its PIN), in Persian."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kernel import Route
from kernel.web.templating import render
from modules.marketing.adapters.gsm import GsmPanel
from modules.marketing.panels import PanelError
from modules.marketing.sending import panel_of

PANEL_EDIT = "marketing.panel.edit"
NOT_A_MODEM = "This panel is not a GSM modem"
REGISTRATION = {"home": "Registered (home network)", "roaming": "Registered (roaming)",
                "searching": "Searching for a network", "denied": "Registration denied",
                "not registered": "Not registered"}


def modem_status(request: Request) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        panel = panel_of.live_panel(session, request.path_params["id"])
        if panel is None:
            return Response(status_code=404)
        name, address, kind = panel.name, panel.base_url, panel.kind
        adapter: Any = None
        if kind == "gsm":
            try:
                adapter = panel_of.adapter(kernel, panel)[1]
            except LookupError:
                adapter = None
    state, error, detail = None, None, ""
    if not isinstance(adapter, GsmPanel):
        error = kernel.t("fa", NOT_A_MODEM)
    else:
        try:
            state = adapter.diagnostics()
        except PanelError as exc:
            # The reason in Persian; the modem's or the system's own words apart, left to right.
            error, detail = kernel.t("fa", str(exc)), exc.detail
    return render(request, "marketing/panel_modem.html", {
        "panel_id": request.path_params["id"], "name": name, "address": address, "state": state, "error": error, "detail": detail,
        "registration": REGISTRATION.get(state.registration, "Not registered") if state else "",
        "bars": 0 if state is None or state.signal_dbm is None else min(5, max(0, (state.signal_dbm + 113) // 12)),
        "at": dt.datetime.now(dt.UTC).replace(tzinfo=None)})


def routes() -> list[Route]:
    return [Route("/panel/{id:int}/modem", modem_status, methods=["GET"], permission=PANEL_EDIT, name="panel_modem")]
