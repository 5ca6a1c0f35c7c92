"""The events the sales module emits (its ``register_events`` hook lists them), each inside the
transaction of the change: a listener that raises vetoes it, and nothing is kept."""

from __future__ import annotations

from dataclasses import dataclass

from kernel import Event


@dataclass(frozen=True)
class SalesOrderApproved(Event):
    """A manager approved a sales order: its opportunity may now enter a stage that needs approval."""

    order_id: int


@dataclass(frozen=True)
class SalesOrderCancelled(Event):
    """A sales order was cancelled (it had no proforma yet)."""

    order_id: int


@dataclass(frozen=True)
class SalesOrderProformaMade(Event):
    """Finance's proforma was made from an approved sales order; it is issued right after, in the
    same transaction (a listener may hand it what the order holds before its issue)."""

    order_id: int
    proforma_id: int


EVENTS = (SalesOrderApproved, SalesOrderCancelled, SalesOrderProformaMade)
