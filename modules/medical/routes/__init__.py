"""The medical module's own pages: one-line delegations to each part's routes."""

from __future__ import annotations

from typing import Any


def all_routes() -> list[Any]:
    from modules.medical.routes import calendar

    return [*calendar.routes()]
