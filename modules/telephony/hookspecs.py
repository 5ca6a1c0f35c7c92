"""Telephony's own hooks, for the modules and pip packages that depend on it (docs/plugins.md §5,
"A module's own hooks")."""

from __future__ import annotations

from typing import Any

from kernel import hookspec


@hookspec
def register_telephony_drivers(kernel: Any) -> Any:
    """Device drivers this package speaks: ``list[devices.drivers.kinds.DriverKind]`` (a key
    stored on the device, a label, and ``make(timezone)`` answering a fresh
    ``devices.drivers.base.Driver``). Each is offered when an administrator adds a device."""
