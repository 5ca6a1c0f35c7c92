"""The events the marketing module emits (listed by its ``register_events`` hook)."""

from __future__ import annotations

from dataclasses import dataclass

from kernel import Event


@dataclass(frozen=True)
class InboundReceived(Event):
    """A message arrived (an SMS to a panel's line, an e-mail in the mailbox), once per message,
    in the transaction that logged it. ``partner_id`` is None when no partner matched (it waits
    in the inbox; ``InboundReceived`` is not emitted again when a user assigns it). A module
    that takes orders by SMS (the carpet module's warranty cards) reads ``body`` here; raising
    refuses the message (a panel's webhook then answers an error and the panel calls again)."""

    inbound_id: int
    channel: str  # "sms" | "email"
    address: str  # canonical mobile or e-mail address of the sender
    body: str
    partner_id: int | None
    opt_out: bool
