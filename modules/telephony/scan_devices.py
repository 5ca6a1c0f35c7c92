"""Card readers and barcode scanners among the devices (DEV-02): each is tied to a workstation's
user, whose open pages get its scans (``scan_push``)."""

from __future__ import annotations

from typing import Any

from devices.drivers.kinds import builtin_kinds
from kernel import InputError, Section
from modules.telephony.drivers import driver_kinds

# The form shows the user (and keeps it) only while a reader's driver is chosen.
READER_SECTION = Section("Card reader or barcode scanner", ("user_id",),
                         when=("driver", tuple(k.key for k in builtin_kinds() if k.scanner)))


def is_scanner(kernel: Any, driver: str) -> bool:
    kind = driver_kinds(kernel).get(driver)
    return bool(kind and kind.scanner)


def check_user(values: dict[str, Any], kernel: Any) -> dict[str, InputError] | None:
    """A reader's scans need someone to go to (a PBX's or modem's user is dropped with its section)."""
    if not values.get("driver") or kernel is None:
        return None
    if is_scanner(kernel, values["driver"]) and not values.get("user_id"):
        return {"user_id": InputError("Choose the user at the workstation of this reader")}
    return None
