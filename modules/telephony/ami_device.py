"""What a device of an Asterisk manager (AMI) driver adds to the device form: its user name (the
secret has a page of its own), and a port that is a host and a TCP port, not a serial one."""

from __future__ import annotations

import re
from typing import Any

from devices.drivers.kinds import builtin_kinds
from devices.links.ami import parse_address
from kernel import InputError, Section
from modules.telephony.drivers import driver_kinds

AMI_USER_HELP = ("For Asterisk or Issabel the port is the server's address and manager port, such as "
                 "192.168.1.10:5038; this is the user of manager.conf (read permission call,cdr). "
                 "Set its secret on the device status page.")
# Shown only while an AMI driver is chosen (a plug-in's AMI driver shows it only if it reuses one of these keys).
# The kernel's form shows no Field.help: the section's title says what the port is for AMI.
AMI_SECTION = Section("Asterisk manager (AMI): the port is the server's address and manager port, such as "
                      "192.168.1.10:5038", ("username",),
                      when=("driver", tuple(k.key for k in builtin_kinds() if k.link == "ami")))
_BARE_HOST_PORT = re.compile(r"^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$")  # no scheme: not something pyserial opens


def ami_port_error(kernel: Any, values: dict[str, Any]) -> dict[str, InputError] | None:
    kind = driver_kinds(kernel).get(str(values["driver"]))
    if kind is None:
        return None
    port = str(values["port"]).strip()
    if kind.link != "ami":
        if _BARE_HOST_PORT.match(port):
            return {"port": InputError("Enter a serial port such as /dev/ttyUSB0, or socket://192.168.1.20:2300")}
        return None
    errors: dict[str, InputError] = {}
    try:
        parse_address(port)
    except ValueError:
        errors["port"] = InputError("Enter the Asterisk server's address and manager port, such as 192.168.1.10:5038")
    if not str(values.get("username") or "").strip():
        errors["username"] = InputError("Enter the manager user name of manager.conf")
    return errors or None


# What an AMI session's error means, for the status page (the error itself is shown beside it).
_HINTS = (
    ("Asterisk refused the login", "Asterisk refused the user name or secret: check the manager user, its secret "
                                   "and its permit= line for this server's address."),
    ("Connect call failed", "Nothing answers at this address and port: is Asterisk running, its manager on "
                            "(enabled = yes) and the firewall open to this server?"),
    ("Connection refused", "Nothing answers at this address and port: is Asterisk running, its manager on "
                           "(enabled = yes) and the firewall open to this server?"),
    ("Asterisk is shutting down", "Asterisk restarted or closed the connection; the service connects again by itself."),
    ("Asterisk closed the connection", "Asterisk restarted or closed the connection; the service connects again by itself."),
    ("did not answer", "Asterisk did not answer in time: check the network and the firewall."),
    ("timed out", "Asterisk did not answer in time: check the network and the firewall."),
)


def ami_error_hint(error: str) -> str:
    """An English msgid saying what to do about an AMI session's error; "" when none fits."""
    return next((hint for marker, hint in _HINTS if marker in error), "")
