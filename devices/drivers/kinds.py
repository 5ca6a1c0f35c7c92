"""The drivers this library ships, described for an application's driver list.

An application (the telephony module) offers these plus whatever its plug-ins declare; a
``DriverKind`` is what a plug-in returns to add a PBX model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from devices.drivers.asterisk_ami import AsteriskAmi
from devices.drivers.base import Driver
from devices.drivers.cid_modem import CidModem
from devices.drivers.panasonic_smdr import PanasonicSmdr


@dataclass(frozen=True)
class DriverKind:
    key: str  # stored on the device row
    label: str  # an English msgid, translated by the application
    make: Callable[[str], Driver]  # time zone name → a fresh driver (one per open port)
    default_baudrate: int = 9600
    # How the service reaches such a device (a key of devices.links.links()): "serial" for a
    # port pyserial opens, "ami" for an Asterisk manager session (the port is host:port and the
    # device's user name and secret log in).
    link: str = "serial"


def builtin_kinds() -> list[DriverKind]:
    return [
        DriverKind("panasonic_smdr", "Panasonic KX-TDA/TDE/NS SMDR (MM/DD/YY)", lambda tz: PanasonicSmdr(tz)),
        DriverKind("panasonic_smdr_dmy", "Panasonic KX-TDA/TDE/NS SMDR (DD/MM/YY)",
                   lambda tz: PanasonicSmdr(tz, date_order="DMY")),
        DriverKind("cid_modem", "Caller-ID modem (AT+VCID)", lambda tz: CidModem(tz), default_baudrate=115200),
        DriverKind("asterisk_ami", "Asterisk / Issabel (AMI)", lambda tz: AsteriskAmi(tz), link="ami"),
    ]
