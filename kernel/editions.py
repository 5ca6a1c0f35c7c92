"""Editions: named module sets with a seat limit, read from ``kernel/data/editions.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from kernel.errors import ModuleError

EDITIONS_FILE = Path(__file__).parent / "data" / "editions.toml"


@dataclass(frozen=True)
class Edition:
    name: str
    label: str
    label_fa: str
    seats: int
    modules: tuple[str, ...]

    def available_modules(self, installed: set[str]) -> tuple[str, ...]:
        """The edition's modules that exist: later modules join their editions when written."""
        return tuple(m for m in self.modules if m in installed)


def load_editions(path: Path = EDITIONS_FILE) -> dict[str, Edition]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        name: Edition(name, e["label"], e["label_fa"], int(e["seats"]), tuple(e["modules"]))
        for name, e in data.items()
    }


def get_edition(name: str) -> Edition:
    editions = load_editions()
    if name not in editions:
        raise ModuleError(f"unknown edition {name!r}; known: {', '.join(editions)}")
    return editions[name]
