"""Demo data of the medical module (``peyvand init --demo``): each part loads its own."""

from __future__ import annotations

from typing import Any


def load(kernel: Any, session: Any) -> str:
    from modules.medical.demo_calendar import load as calendar
    from modules.medical.demo_file import load as load_file

    return "; ".join([calendar(kernel, session), load_file(kernel, session)])
