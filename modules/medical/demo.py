"""Demo data of the medical module: one-line delegations to each part's demo."""

from __future__ import annotations

from typing import Any


def load(kernel: Any, session: Any) -> str:
    from modules.medical.demo_calendar import load as calendar

    return "; ".join([calendar(kernel, session)])
