"""An AMI device's secret: typed here, never shown back (the page says only whether one is set).
Kept off the device's form, list, export and API on purpose: each of those prints what it shows."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from kernel import Route
from kernel.db import transaction
from kernel.web.forms import flash, redirect
from kernel.web.templating import render
from modules.telephony.models import Device

EDIT = "telephony.device.edit"
MAX_SECRET = 200  # the column's length


def _live(session: Session, device_id: int) -> Device | None:
    device = session.get(Device, device_id)
    return device if device is not None and device.deleted_at is None else None


def page(request: Request) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        device = _live(session, request.path_params["id"])
        if device is None:
            return Response(status_code=404)
        context = {"device_id": device.id, "name": device.name, "is_set": bool(device.secret), "error": ""}
    return render(request, "telephony/ami_secret.html", context)


def save(request: Request) -> Response:
    kernel = request.app.state.kernel
    form = request.state.form
    secret = str(form.get("secret", "")).strip() if form is not None else ""
    with transaction(kernel.sessions, request.state.actor) as session:
        device = _live(session, request.path_params["id"])
        if device is None:
            return Response(status_code=404)
        if len(secret) > MAX_SECRET or any(c in secret for c in "\r\n"):
            # A line break would end the Login action early: refused before anything is saved.
            context = {"device_id": device.id, "name": device.name, "is_set": bool(device.secret),
                       "error": "The secret is one line of at most 200 characters"}
            return render(request, "telephony/ami_secret.html", context, 400)
        if secret:  # an empty field keeps the secret that is set
            # Written past the ORM: the change history keeps every changed value, and a copy of
            # the secret there would outlive the secret itself.
            session.execute(update(Device).where(Device.id == device.id).values(secret=secret))
        device_id = device.id
    flash(request, "Saved.")
    return redirect(f"/telephony/device/{device_id}/secret")


def routes() -> list[Route]:
    return [Route("/device/{id:int}/secret", page, methods=["GET"], permission=EDIT, name="ami_secret"),
            Route("/device/{id:int}/secret", save, methods=["POST"], permission=EDIT, name="ami_secret_save")]
