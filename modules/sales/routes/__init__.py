"""The sales module's own pages: the board, moving and closing deals, sales orders, qualifying leads."""

from __future__ import annotations

from typing import Any


def all_routes() -> list[Any]:
    from modules.sales.routes import board, moves, orders, qualify, settings

    return [*board.routes(), *moves.routes(), *orders.routes(), *qualify.routes(), *settings.routes()]
