"""The base module's own pages. Every submodule here exposes ``routes() -> list[kernel.Route]``;
they are collected in file-name order, so a new page needs no edit elsewhere."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any


def all_routes() -> list[Any]:
    out: list[Any] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        out += module.routes()
    return out
