"""The user's money unit, as ``format_money`` takes it."""

from __future__ import annotations

from typing import Any, Literal


def unit_of(actor: Any) -> Literal["rial", "toman"]:
    return "toman" if getattr(actor, "money_unit", "") == "toman" else "rial"
