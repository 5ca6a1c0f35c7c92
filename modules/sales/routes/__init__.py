"""The sales module's own pages: the board, moving and closing deals, approval, qualifying leads."""

from __future__ import annotations

from typing import Any


def all_routes() -> list[Any]:
    from modules.sales.routes import approval, board, moves, qualify, settings

    return [*board.routes(), *moves.routes(), *approval.routes(), *qualify.routes(), *settings.routes()]
