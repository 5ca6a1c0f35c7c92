"""How the device service reaches a device: a serial port through pyserial (a pty, a USB cable,
``socket://`` for a PBX printing SMDR to the network) or an Asterisk manager session over TCP.

A link's ``run(spec, io)`` opens the device, reads it until ``io.stop`` is set, and raises when
the device is lost or refuses it; the service then retries with back-off (``devices.service``).
"""

from __future__ import annotations

from typing import Protocol

from devices.spec import DeviceSpec, LinkIO


class Link(Protocol):
    def run(self, spec: DeviceSpec, io: LinkIO) -> None: ...


def links() -> dict[str, Link]:
    # Imported here: the AMI link pulls in asyncio and panoramisk only for a service that has one.
    from devices.links.ami import AmiLink
    from devices.links.serial_port import SerialLink

    return {"serial": SerialLink(), "ami": AmiLink()}
