"""Markup the base module adds to pages (kernel.template_slot). Every submodule here defines
``SLOTS: dict[str, Callable[[dict, Request], Markup | None]]``; answers are joined in file-name order."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from functools import cache
from typing import Any

from markupsafe import Markup


@cache
def _handlers() -> dict[str, list[Callable[..., Any]]]:
    found: dict[str, list[Callable[..., Any]]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for slot, handler in module.SLOTS.items():
            found.setdefault(slot, []).append(handler)
    return found


def render(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    parts = [h(context, request) for h in _handlers().get(slot, [])]
    parts = [p for p in parts if p]
    return Markup("").join(parts) if parts else None
