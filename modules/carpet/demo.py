"""The carpet edition's demo data: each area adds its own part."""

from __future__ import annotations

from typing import Any


def load(kernel: Any, session: Any) -> str:
    from modules.carpet.shop.demo import load_shop

    return "; ".join([load_shop(kernel, session)])
