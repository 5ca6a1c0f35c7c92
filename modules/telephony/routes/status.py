"""The device status page: each device with what the service last knew of it, and the lines
it could not read (a wrong baud rate or date format shows here first)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from kernel import Route
from kernel.web.templating import render
from modules.telephony.ami_device import ami_error_hint
from modules.telephony.drivers import driver_kinds
from modules.telephony.models import Device, DeviceStatus, GarbledLine

VIEW = "telephony.device.view"
GARBLED_SHOWN = 10
# The form opens with the usual serial settings of a PBX's SMDR port (9600 8N1).
NEW_DEVICE = "/telephony/device/new?" + urlencode({"baud_rate": 9600, "parity": "N", "data_bits": 8, "stop_bits": 1})


def page(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    kinds = driver_kinds(kernel)
    rows: list[dict[str, Any]] = []
    with kernel.sessions() as session:
        for device in session.scalars(kernel.scoped_select(actor, Device).order_by(Device.name, Device.id)):
            garbled = list(session.scalars(select(GarbledLine).where(GarbledLine.device_id == device.id)
                                           .order_by(GarbledLine.id.desc()).limit(GARBLED_SHOWN)))
            kind = kinds.get(device.driver)
            status = session.get(DeviceStatus, device.id)
            ami = bool(kind and kind.link == "ami")
            rows.append({"device": device, "status": status, "garbled": garbled,
                         "driver": kind.label if kind else device.driver, "ami": ami,
                         "hint": ami_error_hint(status.error or "") if ami and status else ""})
    return render(request, "telephony/status.html", {"rows": rows, "new_device": NEW_DEVICE})


def routes() -> list[Route]:
    return [Route("/status", page, methods=["GET"], permission=VIEW, name="status")]
