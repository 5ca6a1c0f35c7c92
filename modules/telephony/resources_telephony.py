"""Telephony's resources: devices and extensions (administrators), and the call log (read only)."""

from __future__ import annotations

import re
from typing import Any

from kernel import Field, InputError, Resource, Section
from modules.telephony.ami_device import AMI_SECTION, AMI_USER_HELP, ami_port_error
from modules.telephony.call_filters import CALL_KIND
from modules.telephony.drivers import driver_choices
from modules.telephony.models import Call, Device, Extension

BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
PARITIES = (("N", "None"), ("E", "Even"), ("O", "Odd"))
DIRECTIONS = (("incoming", "Incoming"), ("outgoing", "Outgoing"))
# What pyserial opens: a device node, or a URL (socket://host:port for a PBX on the network).
# An Asterisk manager's host:port is checked against its driver (check_device).
_PORT = re.compile(r"^(/dev/\S+|[A-Za-z0-9+]+://\S+|COM\d{1,3}|[A-Za-z0-9.\-\[\]:]+:\d{1,5})$")


def check_baud_rate(value: int) -> None:
    if value not in BAUD_RATES:
        raise InputError("Choose a baud rate the PBX offers: 1200, 2400, 4800, 9600, 19200, 38400, 57600 or 115200")


def check_data_bits(value: int) -> None:
    if value not in (7, 8):
        raise InputError("Data bits are 7 or 8")


def check_stop_bits(value: int) -> None:
    if value not in (1, 2):
        raise InputError("Stop bits are 1 or 2")


def check_port(value: str) -> None:
    if not _PORT.match(value.strip()):
        raise InputError("Enter a serial port such as /dev/ttyUSB0, or socket://192.168.1.20:2300")


def check_device(values: dict[str, Any], kernel: Any = None, **_: Any) -> dict[str, InputError] | None:
    if kernel is not None and values.get("driver") and values["driver"] not in dict(driver_choices(kernel)):
        return {"driver": InputError("Choose one of the drivers offered")}
    if kernel is not None and values.get("driver") and values.get("port"):
        return ami_port_error(kernel, values)
    return None


DEVICE = Resource(
    name="telephony.device", model=Device, label="Telephone device", label_plural="Telephone devices",
    columns=("name", "driver", "port", "baud_rate", "active"),
    sections=(Section("", ("name", "driver", "port", "active")),
              Section("Serial port", ("baud_rate", "parity", "data_bits", "stop_bits")), AMI_SECTION),
    search=("name", "port"), default_sort="name", title_field="name", shared=True, global_search=False,
    validate=check_device,
    fields={
        "name": Field(label="Name"),
        "driver": Field(label="Driver", choices_from=driver_choices),
        "port": Field(label="Port", validate=check_port,
                      help="/dev/ttyUSB0 for a USB serial cable, socket://192.168.1.20:2300 for a PBX on the network"),
        "baud_rate": Field(label="Baud rate", validate=check_baud_rate, help="As programmed in the PBX, usually 9600"),
        "parity": Field(label="Parity", choices=PARITIES),
        "data_bits": Field(label="Data bits", validate=check_data_bits),
        "stop_bits": Field(label="Stop bits", validate=check_stop_bits),
        "active": Field(label="Active"),
        "username": Field(label="AMI user name", help=AMI_USER_HELP),
    },
)

EXTENSION = Resource(
    name="telephony.extension", model=Extension, label="Extension", label_plural="Extensions",
    columns=("number", "user_id", "label"), form=("number", "user_id", "label"),
    search=("number", "label"), filters=("user_id",), default_sort="number", title_field="number", shared=True,
    global_search=False,
    fields={
        "number": Field(label="Extension number", kind="code"),
        "user_id": Field(label="User"),
        "label": Field(label="Description"),
    },
)

CALL = Resource(
    name="telephony.call", model=Call, label="Call", label_plural="Calls", read_only=True,
    columns=("started_at", "direction", "number_canonical", "partner_id", "extension", "user_id", "duration_seconds",
             "answered"),
    form=("started_at", "direction", "number", "number_canonical", "partner_id", "line", "extension", "user_id",
          "ring_seconds", "duration_seconds", "answered", "account_code", "condition", "device_id", "raw"),
    search=(), filters=("direction", "answered", "extension", "user_id", "partner_id", "started_at", "device_id"),
    default_sort="-started_at", title_field="number", global_search=False, custom_filters=(CALL_KIND,),
    fields={
        "started_at": Field(label="Started at", kind="datetime"),
        "direction": Field(label="Direction", choices=DIRECTIONS),
        "number": Field(label="Number as received", kind="code"),
        "number_canonical": Field(label="Number", kind="phone"),
        "partner_id": Field(label="Partner", ref="base.partner"),
        "line": Field(label="Line", kind="code"),
        "extension": Field(label="Extension", kind="code"),
        "user_id": Field(label="User"),
        "ring_seconds": Field(label="Ringing (seconds)"),
        "duration_seconds": Field(label="Duration (seconds)"),
        "answered": Field(label="Answered"),
        "account_code": Field(label="Account code", kind="code"),
        "condition": Field(label="Condition code", kind="code"),
        "device_id": Field(label="Device", ref="telephony.device"),
        "raw": Field(label="Line as printed"),
        "key": Field(label="Call key"),
        "communication_id": Field(label="Logged as", ref="base.communication"),
    },
)
