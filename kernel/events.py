"""Events: how one module reacts to another's business facts inside the same transaction."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    """Base class of every event. Subclass it in ``<module>/events.py`` with the facts needed.

    Emit with ``kernel.emit(event, session)``; listeners run in the same transaction and may
    raise to veto it.
    """

    @property
    def name(self) -> str:
        return type(self).__name__


@dataclass(frozen=True)
class RecordChanged(Event):
    """Emitted by the kernel after a resource record is created, updated, deleted or restored."""

    resource: str
    record_id: int
    action: str
