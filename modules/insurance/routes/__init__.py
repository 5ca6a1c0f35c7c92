"""Pages of the insurance module beyond its resources: renew, invoice with instalments, settings."""

from __future__ import annotations

from typing import Any


def all_routes() -> list[Any]:
    from modules.insurance.routes import policy, settings

    return [*policy.routes(), *settings.routes()]
