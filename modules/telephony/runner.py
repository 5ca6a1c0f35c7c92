"""The device service for an instance: its active devices, with the telephony sink."""

from __future__ import annotations

from functools import partial
from typing import Any

from sqlalchemy import select

from devices.events import Event
from devices.service import DeviceService, DeviceSpec
from modules.telephony.drivers import driver_kinds
from modules.telephony.models import Device
from modules.telephony.sink import record_event, set_state


def device_specs(kernel: Any) -> list[DeviceSpec]:
    """Every active device whose driver is known; a device naming an unknown driver (its plug-in
    was uninstalled) is marked with the error instead of stopping the others."""
    kinds = driver_kinds(kernel)
    tz = kernel.config.timezone
    with kernel.sessions() as session:
        devices = list(session.scalars(select(Device).where(Device.active.is_(True), Device.deleted_at.is_(None))
                                       .order_by(Device.id)))
    specs = []
    for d in devices:
        kind = kinds.get(d.driver)
        if kind is None:
            set_state(kernel, d.id, "error", f"unknown driver {d.driver!r}")
            continue
        # Any edit of the device (its updated_at) reopens it; the others keep reading.
        specs.append(DeviceSpec(key=d.id, url=d.port, make_driver=partial(kind.make, tz),
                                baudrate=d.baud_rate, parity=d.parity, bytesize=d.data_bits, stopbits=d.stop_bits,
                                fingerprint=(d.driver, d.updated_at), link=kind.link, username=d.username or "",
                                secret=d.secret or ""))
    return specs


def build_service(kernel: Any, **options: Any) -> DeviceService:
    def sink(key: Any, event: Event) -> None:
        record_event(kernel, key, event)

    def on_state(key: Any, state: str, error: str) -> None:
        set_state(kernel, key, state, error)

    return DeviceService(device_specs(kernel), sink=sink, on_state=on_state, **options)
