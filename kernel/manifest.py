"""What a module says about itself: read before any of its code runs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NAME = re.compile(r"^[a-z][a-z0-9_]{1,30}$")


@dataclass(frozen=True)
class Manifest:
    """A module's identity card (``modules/<name>/manifest.py`` defines ``MANIFEST``).

    ``depends`` are module names this one uses (foreign keys, services, events);
    ``auto_install`` marks a bridge module, enabled by itself once all its ``depends`` are;
    ``tiers`` are informational tags (``tier1`` … ``tier5``, verticals).
    """

    name: str
    version: str
    summary: str = ""
    depends: tuple[str, ...] = ()
    auto_install: bool = False
    tiers: tuple[str, ...] = ()
    author: str = ""
    extra: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"module name {self.name!r}: lower-case letters, digits and _ only")
        if self.name == "kernel":
            raise ValueError("'kernel' is reserved")
        if self.name in self.depends:
            raise ValueError(f"module {self.name!r} depends on itself")
