"""Telephony's resources (one file per area, listed here)."""

from __future__ import annotations

from kernel import Resource


def resources() -> list[Resource]:
    from modules.telephony.resources_telephony import CALL, DEVICE, EXTENSION

    return [DEVICE, EXTENSION, CALL]
