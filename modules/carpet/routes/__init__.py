"""The carpet module's own pages."""

from __future__ import annotations

from typing import Any


def all_routes() -> list[Any]:
    from modules.carpet.shop import routes as shop

    return [*shop.routes()]
