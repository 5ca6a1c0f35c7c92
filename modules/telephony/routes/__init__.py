"""Telephony's own pages: the device status page and "today's calls"."""

from __future__ import annotations

from typing import Any


def all_routes() -> list[Any]:
    from modules.telephony.routes import ami_secret, popup, status, today

    return [*status.routes(), *today.routes(), *ami_secret.routes(), *popup.routes()]
