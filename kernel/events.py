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
    """Emitted by the kernel after a resource record is created, updated, deleted, restored or
    purged (``action`` is ``create``, ``update``, ``delete``, ``restore`` or ``purge``)."""

    resource: str
    record_id: int
    action: str


@dataclass(frozen=True)
class RecordDeleted(Event):
    """A record went to the recycle bin (soft delete), after ``RecordChanged(..., "delete")``.
    Raise to veto: the record stays. Emitted by merges too, for the partner merged away."""

    resource: str
    record_id: int


@dataclass(frozen=True)
class RecordRestored(Event):
    """A record came back from the recycle bin."""

    resource: str
    record_id: int


@dataclass(frozen=True)
class RecordPurged(Event):
    """A record was deleted for good from the recycle bin; its row is gone when this runs, so a
    listener removes what it kept about it (by ``resource`` and ``record_id``)."""

    resource: str
    record_id: int


# The kernel's own events, as ``register_events`` would list them.
KERNEL_EVENTS: tuple[type[Event], ...] = (RecordChanged, RecordDeleted, RecordRestored, RecordPurged)


def event_key(module: str, event: type[Event]) -> str:
    """An event's name in the registry: ``<module>.<ClassName>`` (``base.PartnersMerged``)."""
    return f"{module}.{event.__name__}"
