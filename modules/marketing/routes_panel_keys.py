"""A panel's secrets page: the API key and password are typed here and never shown back (only
their last four characters, so an administrator can tell which key is set), and the webhook URL
to copy into the panel's settings. Kept off the resource's form and API on purpose: a form or
an API answer would print them in full."""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import Response

from kernel import Route
from kernel.db import transaction
from kernel.web.forms import flash, redirect
from kernel.web.templating import render
from modules.marketing.sending import panel_of

PANEL_EDIT = "marketing.panel.edit"


def masked(secret: str | None) -> str:
    if not secret:
        return ""
    return "••••" + secret[-4:] if len(secret) > 8 else "••••"


def _webhook_url(request: Request, token: str | None) -> str:
    kernel = request.app.state.kernel
    root = kernel.config.public_url or str(request.base_url).rstrip("/")
    return f"{root}/marketing/panel/{token}/hook" if token else ""


def page(request: Request) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        panel = panel_of.live_panel(session, request.path_params["id"])
        if panel is None:
            return Response(status_code=404)
        context = {"panel_id": panel.id, "name": panel.name, "key": masked(panel.api_key),
                   "password": masked(panel.password), "webhook": _webhook_url(request, panel.webhook_token)}
    return render(request, "marketing/panel_keys.html", context)


def save(request: Request) -> Response:
    kernel = request.app.state.kernel
    form = request.state.form
    with transaction(kernel.sessions, request.state.actor) as session:
        panel = panel_of.live_panel(session, request.path_params["id"])
        if panel is None:
            return Response(status_code=404)
        key = str(form.get("api_key", "")).strip() if form is not None else ""
        password = str(form.get("password", "")).strip() if form is not None else ""
        if key:  # an empty field keeps the key that is set
            panel.api_key = key
        if password:
            panel.password = password
        if form is not None and form.get("new_webhook"):
            panel.webhook_token = secrets.token_urlsafe(24)  # the old URL stops working at once
        panel_id = panel.id
    flash(request, "Saved.")
    return redirect(f"/marketing/panel/{panel_id}/keys")


def routes() -> list[Route]:
    return [Route("/panel/{id:int}/keys", page, methods=["GET"], permission=PANEL_EDIT, name="panel_keys"),
            Route("/panel/{id:int}/keys", save, methods=["POST"], permission=PANEL_EDIT, name="panel_keys_save")]
