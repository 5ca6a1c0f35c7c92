"""Hooks of the medical module: one-line delegations to the files that hold each concept."""

from __future__ import annotations

from typing import Any

from kernel import hookimpl


@hookimpl
def register_events() -> list[Any]:
    from modules.medical.events import AppointmentChanged

    return [AppointmentChanged]
