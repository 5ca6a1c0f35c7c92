"""Telephony's events (docs/plugins.md §3.12)."""

from __future__ import annotations

from dataclasses import dataclass

from kernel import Event


@dataclass(frozen=True)
class CallLogged(Event):
    """A device reported a call and it was logged, once (the caller pop-up and the compliance
    report listen; emitted in the transaction that writes the call)."""

    call_id: int
    direction: str  # incoming | outgoing
    number: str  # as the device gave it
    partner_id: int | None
    user_id: int | None  # the extension's user
    answered: bool | None  # None: the device cannot know (a caller-ID modem, while it rings)
