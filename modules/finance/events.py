"""The events the finance module emits (listed by its ``register_events`` hook), each inside the
transaction of the change: a listener that raises vetoes it (nothing is kept, no number used)."""

from __future__ import annotations

from dataclasses import dataclass

from kernel import Event


@dataclass(frozen=True)
class ProformaIssued(Event):
    """A proforma was issued: it has its number."""

    proforma_id: int
    number: str
    partner_id: int
    grand_total: int  # Rials


@dataclass(frozen=True)
class ProformaConverted(Event):
    """A proforma became an invoice (exactly once); ``InvoiceIssued`` of that invoice follows."""

    proforma_id: int
    invoice_id: int


@dataclass(frozen=True)
class ProformaCancelled(Event):
    """An issued or draft proforma was cancelled with ``reason``: what it held (stock reserved for
    it) is given back."""

    proforma_id: int
    reason: str


@dataclass(frozen=True)
class InvoiceIssued(Event):
    """An invoice was issued (directly, or by converting ``proforma_id``): it has its number."""

    invoice_id: int
    number: str
    partner_id: int
    grand_total: int  # Rials
    proforma_id: int | None = None


@dataclass(frozen=True)
class InvoiceChanged(Event):
    """An issued invoice was edited (by a user holding ``finance.invoice.edit_issued``), or its
    received amount changed; ``grand_total`` and ``balance`` are the amounts after the change."""

    invoice_id: int
    grand_total: int
    balance: int


@dataclass(frozen=True)
class InvoiceVoided(Event):
    """An invoice was voided: it keeps its number, marked void, with ``reason``."""

    invoice_id: int
    number: str
    reason: str


@dataclass(frozen=True)
class ReceiptRecorded(Event):
    """Money was received against an invoice; ``balance`` is what is still open after it."""

    receipt_id: int
    invoice_id: int
    amount: int
    balance: int


# -- cheques (FIN-09) -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChequeChanged(Event):
    """A cheque moved from ``from_state`` to ``to_state`` (``modules.finance.cheque_states``), in
    the transaction of the change: a listener that raises refuses the change. A bounce
    (``to_state == "bounced"``) is what payment plans (FIN-08) re-open instalments on."""

    cheque_id: int
    from_state: str
    to_state: str
    partner_id: int
    amount: int  # Rials
    invoice_id: int | None = None


EVENTS: tuple[type[Event], ...] = (ProformaIssued, ProformaConverted, ProformaCancelled, InvoiceIssued, InvoiceChanged,
                                   InvoiceVoided, ReceiptRecorded, ChequeChanged)
