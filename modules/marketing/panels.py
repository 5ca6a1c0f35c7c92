"""What an SMS panel adapter is (MKT-02, MKT-07): the contract between marketing's sending pipe
and the code that speaks one Iranian panel's HTTP API (Kavenegar, SMS.ir, IPPanel/FarazSMS,
Melipayamak, or a partner's own pip package through ``register_marketing_sms_panels``).

An adapter is made from a configured :class:`modules.marketing.models.Panel` row (its base URL,
key, sender line). It never touches the database: the pipe claims the messages, calls the
adapter outside any transaction, and records what it answered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Outgoing:
    """One message to send: ``local_id`` is the message's row id, given to panels that accept an
    idempotency key (a resend of the same id is then not billed or delivered twice)."""

    local_id: int
    mobile: str  # canonical, +98…
    body: str


@dataclass(frozen=True)
class Accepted:
    """The panel's answer for one message: its own id (for delivery reports), or the reason it
    refused this message (``error``; the others of the batch may still have gone)."""

    local_id: int
    provider_id: str | None = None
    cost: int = 0  # Rials, as the panel billed it (0 when it does not say)
    error: str | None = None


DELIVERED, FAILED, PENDING = "delivered", "failed", "pending"


@dataclass(frozen=True)
class Delivery:
    """A delivery state the panel reports for one of its ids."""

    provider_id: str
    state: str  # DELIVERED | FAILED | PENDING
    at: dt.datetime | None = None  # naive UTC


@dataclass(frozen=True)
class Incoming:
    """A message a panel received on our line."""

    provider_id: str
    mobile: str  # as the panel gave it; the pipe canonicalises it
    body: str
    received_at: dt.datetime  # naive UTC
    to_line: str | None = None


class PanelError(Exception):
    """The panel could not be asked (unreachable, timed out, refused the key, no credit): the
    whole call failed and may be retried. ``retry`` is False when a retry cannot help."""

    def __init__(self, message: str, *, retry: bool = True, maybe_sent: bool = False, detail: str = "") -> None:
        super().__init__(message)  # an English msgid of the catalogue: shown translated
        self.detail = detail  # the panel's own words, shown beside it untranslated
        self.retry = retry
        # The request may have reached the panel (a read timeout, a lost answer): the batch may
        # have gone out, so it is resent only with the panel's idempotency key.
        self.maybe_sent = maybe_sent


class SmsPanel(Protocol):
    """One configured panel account."""

    def send(self, batch: Sequence[Outgoing]) -> list[Accepted]:
        """Send a batch (at most the panel row's ``batch_size``); one answer per message, in order."""
        ...

    def deliveries(self, provider_ids: Sequence[str]) -> list[Delivery]:
        """The delivery states of these ids (polling)."""
        ...

    def received(self, since: dt.datetime | None) -> list[Incoming]:
        """Messages received on the line since then (polling)."""
        ...

    def credit(self) -> int:
        """The account's remaining credit in Rials."""
        ...


@dataclass(frozen=True)
class PanelKind:
    """A kind of panel this installation can speak to, offered when a panel is configured.

    ``make(panel_row)`` builds the adapter; ``parse_webhook(body, query)`` (optional) turns a
    request the panel sent to our webhook into delivery states and received messages."""

    key: str  # kavenegar, smsir, ippanel, melipayamak, …
    label: str
    make: Callable[[Any], SmsPanel]
    needs: tuple[str, ...] = ("api_key",)  # which of the row's credentials it uses
    parse_webhook: Callable[[bytes, dict[str, str]], tuple[list[Delivery], list[Incoming]]] | None = None
    docs_url: str = ""
    # The panel keeps our local id and answers a resend of it without sending again
    # (Kavenegar's localid): a batch interrupted mid-call is then resent safely.
    idempotent: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def panel_kinds(kernel: Any) -> dict[str, PanelKind]:
    """Every panel kind the enabled modules and packages declare, by key."""
    kinds: dict[str, PanelKind] = {}
    for answer in kernel.pm.hook.register_marketing_sms_panels(kernel=kernel):
        for kind in answer or ():
            if not isinstance(kind, PanelKind):
                raise TypeError(f"register_marketing_sms_panels must return PanelKind objects, got {kind!r}")
            if kind.key in kinds:
                raise ValueError(f"two SMS panel kinds are named {kind.key!r}")
            kinds[kind.key] = kind
    return kinds
