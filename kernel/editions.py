"""Editions: named module sets with a seat limit, read from ``kernel/data/editions.toml``.

``modules`` lists only modules that ship: every one of them must be installed, or the kernel
refuses to start (a broken install must not quietly run as a smaller edition). ``planned``
lists what the edition will gain when those modules are written; an edition runs with what
ships and says so in one line."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kernel.errors import ModuleError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

EDITIONS_FILE = Path(__file__).parent / "data" / "editions.toml"
# The instance's edition lives with its data (the settings table), not in the environment: a
# tier-2 database started as tier 1 would hide its tasks without a word.
EDITION_SETTING = "kernel.edition"


@dataclass(frozen=True)
class Edition:
    name: str
    label: str
    label_fa: str
    seats: int
    modules: tuple[str, ...]
    planned: tuple[str, ...] = ()

    def required_modules(self, installed: set[str]) -> tuple[str, ...]:
        """The edition's modules; a shipped module missing from this installation is an error."""
        missing = [m for m in self.modules if m not in installed]
        if missing:
            raise ModuleError(
                f"edition {self.name!r} needs module(s) {', '.join(missing)}, which are not installed; "
                "reinstall Peyvand or choose another edition")
        return self.modules

    def pending(self, installed: set[str]) -> tuple[str, ...]:
        """Planned modules not installed yet (a planned module that is installed joins the edition)."""
        return tuple(m for m in self.planned if m not in installed)

    def modules_for(self, installed: set[str]) -> tuple[str, ...]:
        """What the edition runs here: its modules, plus planned ones already installed."""
        return (*self.required_modules(installed), *(m for m in self.planned if m in installed))

    def pending_note(self, installed: set[str]) -> str:
        """One line saying what the edition is still waiting for ('' when nothing)."""
        waiting = self.pending(installed)
        if not waiting:
            return ""
        return (f"edition {self.name}: {', '.join(waiting)} not shipped yet; "
                f"running with {', '.join(self.modules_for(installed))}")


def load_editions(path: Path | None = None) -> dict[str, Edition]:
    data = tomllib.loads((path or EDITIONS_FILE).read_text(encoding="utf-8"))
    return {
        name: Edition(name, e["label"], e["label_fa"], int(e["seats"]), tuple(e["modules"]),
                      tuple(e.get("planned", ())))
        for name, e in data.items()
    }


def get_edition(name: str) -> Edition:
    editions = load_editions()
    if name not in editions:
        raise ModuleError(f"unknown edition {name!r}; known: {', '.join(editions)}")
    return editions[name]


def stored_edition(database_url: str) -> str | None:
    """The edition the database was set up with, or None before ``peyvand init`` (or an instance
    made before editions were stored). Plain SQL: the edition decides which modules load, so it
    is read before any Kernel exists."""
    from sqlalchemy import inspect, text

    from kernel.db import make_engine

    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("kernel_setting"):
                return None
            value = conn.execute(text("SELECT value FROM kernel_setting WHERE key = :k"),
                                 {"k": EDITION_SETTING}).scalar()
    finally:
        engine.dispose()
    return str(json.loads(value)) if value else None


def store_edition(session: Session, name: str) -> None:
    """The one writer of the stored edition: ``peyvand init``, ``peyvand edition set`` and the
    administration page all call it, so they agree on one value."""
    from kernel.models import Setting

    session.merge(Setting(key=EDITION_SETTING, value=json.dumps(name)))


def mismatch(given: str, stored: str) -> str:
    """The one line that refuses to start when PEYVAND_EDITION disagrees with the database."""
    return (f"PEYVAND_EDITION is {given!r} but this instance runs edition {stored!r}; "
            f"change it with 'peyvand edition set {given}' or remove PEYVAND_EDITION")
