"""The finance module's own pages beyond its resources."""

from __future__ import annotations

from typing import Any


def all_routes() -> list[Any]:
    from modules.finance.routes import documents

    return documents.routes()
