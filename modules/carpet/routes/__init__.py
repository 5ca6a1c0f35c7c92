"""The carpet module's own pages."""

from __future__ import annotations

from typing import Any


def all_routes() -> list[Any]:
    from modules.carpet.routes.pages import routes as pages
    from modules.carpet.routes.settings import routes as settings
    from modules.carpet.shop import routes as shop

    return [*pages(), *settings(), *shop.routes()]
