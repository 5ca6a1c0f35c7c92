"""Demo data of the medical module (``peyvand init --demo``): each half of the module loads its own."""

from __future__ import annotations

from typing import Any


def load(kernel: Any, session: Any) -> str:
    from modules.medical.demo_file import load as load_file

    return load_file(kernel, session)
