"""The SMS pipe's pages: the panels' webhook (delivery reports and received messages), the inbox
of unmatched inbound messages with "assign to partner", and a panel's "check: credit"."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kernel import PUBLIC, InputError, NotFound, Route
from kernel.actor import SYSTEM
from kernel.db import transaction
from kernel.persian.textnorm import to_ascii_digits
from kernel.records import get_record
from kernel.web.forms import redirect
from kernel.web.templating import render
from modules.marketing import inbound
from modules.marketing.models import Inbound, Panel
from modules.marketing.panels import PanelError, panel_kinds
from modules.marketing.sending import panel_of, reports
from modules.marketing.sending.consumer import panel_error

INBOX_VIEW = "marketing.inbound.view"
ASSIGN = "marketing.inbound.assign"
PANEL_EDIT = "marketing.panel.edit"
PAGE = 100


def hook(request: Request) -> Response:
    """``/marketing/panel/<token>/hook``: the URL given to the panel. The token is the panel
    row's secret; anything else is answered 404 without a trace of which panels exist."""
    kernel = request.app.state.kernel
    token = request.path_params["token"]
    form = request.state.form
    body = urlencode(list(form.multi_items())).encode() if form is not None else getattr(request.state, "body", b"")
    with transaction(kernel.sessions, SYSTEM) as session:
        panel = session.scalars(select(Panel).where(Panel.webhook_token == token, Panel.deleted_at.is_(None))).first()
        kind = panel_kinds(kernel).get(panel.kind) if panel is not None and len(token) >= 16 else None
        if panel is None or kind is None or kind.parse_webhook is None:
            return JSONResponse({"error": "not found"}, status_code=404)
        try:
            deliveries, incoming = kind.parse_webhook(body or b"", dict(request.query_params))
        except (ValueError, KeyError):
            return JSONResponse({"error": "unreadable"}, status_code=400)
        moved, logged = reports.apply(kernel, session, panel, deliveries, incoming)
    return JSONResponse({"ok": True, "moved": moved, "received": logged})


def inbox(request: Request) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        rows = list(session.scalars(select(Inbound).where(Inbound.state == "unassigned", Inbound.deleted_at.is_(None))
                                    .order_by(Inbound.received_at.desc(), Inbound.id.desc()).limit(PAGE)))
        total = session.scalar(select(func.count()).select_from(Inbound).where(
            Inbound.state == "unassigned", Inbound.deleted_at.is_(None)))
    return render(request, "marketing/inbox.html", {"rows": rows, "total": total or 0,
                                                    "error": request.query_params.get("error")})


def assign(request: Request) -> Response:
    kernel = request.app.state.kernel
    form = request.state.form
    raw = to_ascii_digits(str(form.get("partner_id", "")) if form is not None else "").strip()
    with transaction(kernel.sessions, request.state.actor) as session:
        row = session.get(Inbound, request.path_params["id"])
        if row is None or row.state != "unassigned":
            return redirect("/marketing/inbox")
        try:
            if not raw.isdigit():
                raise InputError("Choose a partner")
            # Only a partner the user may see: the record scope applies here as in every list.
            partner = get_record(kernel, session, request.state.actor, kernel.resources["base.partner"], int(raw), "view")
            inbound.assign(session, row, int(partner.id))
        except (InputError, NotFound):
            return redirect(f"/marketing/inbox?error={row.id}")
    return redirect("/marketing/inbox")


def credit(request: Request) -> Response:
    """"Check: credit": asks the panel now and shows its answer, or its error, in Persian."""
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        panel = panel_of.live_panel(session, request.path_params["id"])
        if panel is None:
            return Response(status_code=404)
        name = panel.name
        try:
            _, adapter = panel_of.adapter(kernel, panel)
        except LookupError:
            adapter = None
    amount, error = None, None
    if adapter is None:
        error = kernel.t("fa", "This kind of panel is not installed")
    else:
        try:
            amount = adapter.credit()
        except PanelError as exc:
            error = panel_error(kernel, exc)
    return render(request, "marketing/panel_credit.html", {
        "panel_id": request.path_params["id"], "name": name, "amount": amount, "error": error,
        "at": dt.datetime.now(dt.UTC).replace(tzinfo=None)})


def routes() -> list[Route]:
    from modules.marketing.routes_fake_panel import routes as fake_routes
    from modules.marketing.routes_panel_keys import routes as key_routes

    return [*key_routes(), *fake_routes(),
        Route("/panel/{token}/hook", hook, methods=["GET", "POST"], permission=PUBLIC, csrf=False, name="panel_hook"),
        Route("/inbox", inbox, methods=["GET"], permission=INBOX_VIEW, name="inbox"),
        Route("/inbox/{id:int}/assign", assign, methods=["POST"], permission=ASSIGN, name="inbox_assign"),
        Route("/panel/{id:int}/credit", credit, methods=["GET"], permission=PANEL_EDIT, name="panel_credit"),
    ]


