"""The tasks module's own pages (everything that is more than the task and reminder resources)."""

from __future__ import annotations

from typing import Any


def all_routes() -> list[Any]:
    from modules.tasks.routes import kartable

    return kartable.routes()
