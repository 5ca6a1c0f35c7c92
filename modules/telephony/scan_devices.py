"""Card readers and barcode scanners among the devices (DEV-02): each is tied to a workstation's
user, whose open pages get its scans (``scan_push``)."""

from __future__ import annotations

from typing import Any

from kernel import InputError
from modules.telephony.drivers import driver_kinds


def is_scanner(kernel: Any, driver: str) -> bool:
    kind = driver_kinds(kernel).get(driver)
    return bool(kind and kind.scanner)


def check_user(values: dict[str, Any], kernel: Any) -> dict[str, InputError] | None:
    """A reader's scans need someone to go to; a PBX or modem has no single user."""
    if not values.get("driver") or kernel is None:
        return None
    if is_scanner(kernel, values["driver"]) and not values.get("user_id"):
        return {"user_id": InputError("Choose the user at the workstation of this reader")}
    if not is_scanner(kernel, values["driver"]) and values.get("user_id"):
        return {"user_id": InputError("Only a card reader or barcode scanner is tied to a user")}
    return None
