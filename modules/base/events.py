"""The events the base module emits (listed by its ``register_events`` hook)."""

from __future__ import annotations

from dataclasses import dataclass

from kernel import Event


@dataclass(frozen=True)
class PartnersMerged(Event):
    """Partner ``drop_id`` was merged into ``keep_id``, inside the merge's transaction.

    Every row that pointed at the dropped partner — foreign keys to ``base_partner`` and generic
    links (``link_resource="base.partner"``, ``link_id``) of every enabled module — points at
    the kept one when this runs; the dropped partner is in the recycle bin. A module that keeps
    partner ids elsewhere (a JSON column, a cache) moves them here. Raise to veto the merge.
    """

    keep_id: int
    drop_id: int
