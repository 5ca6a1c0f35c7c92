"""SMS panel adapters of the marketing module, one panel a file (the contract:
:mod:`modules.marketing.panels`)."""

from __future__ import annotations

from typing import Any


def builtin_kinds() -> list[Any]:
    """The panels marketing speaks itself, declared through its own hook (hooks.py)."""
    from modules.marketing.adapters import ippanel, kavenegar, melipayamak, smsir

    return [kavenegar.kind(), smsir.kind(), ippanel.kind(), melipayamak.kind()]
