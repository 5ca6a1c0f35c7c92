"""The drivers an administrator may choose for a device: the library's and the plug-ins'."""

from __future__ import annotations

from typing import Any

from devices.drivers.kinds import DriverKind


def driver_kinds(kernel: Any) -> dict[str, DriverKind]:
    kinds: dict[str, DriverKind] = {}
    for answer in kernel.pm.hook.register_telephony_drivers(kernel=kernel):
        for kind in answer or ():
            if not isinstance(kind, DriverKind):
                raise TypeError(f"register_telephony_drivers must return DriverKind objects, got {kind!r}")
            if kind.key in kinds:
                raise ValueError(f"two telephony drivers are named {kind.key!r}")
            kinds[kind.key] = kind
    return kinds


def driver_choices(kernel: Any) -> list[tuple[str, str]]:
    return [(k.key, k.label) for k in driver_kinds(kernel).values()]
