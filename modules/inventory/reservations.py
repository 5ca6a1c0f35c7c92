"""Stock held for proformas (setting ``inventory.proforma_reserves``, off by default).

An issued proforma reserves its goods in the invoices' warehouse — unless it already holds units
(a sales order's reservation handed to it by ``stock.hand_over``). With the ``refuse`` policy a
proforma cannot promise units that are not available: issuing it is refused with the same
message as an invoice. Converted, its reservation passes to its invoice (which releases it when
its goods leave: at once with the policy on, at delivery with ``none``); cancelled or deleted, it
is released."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kernel import RecordDeleted
from modules.finance.events import ProformaCancelled, ProformaConverted, ProformaIssued
from modules.finance.models import Proforma
from modules.inventory import policy
from modules.inventory.invoices import goods_of
from modules.inventory.services import stock

SOURCE = "proforma"


def on_event(kernel: Any, event: Any, session: Session) -> None:
    if isinstance(event, ProformaIssued):
        if policy.proforma_reserves(kernel, session):
            reserve_for(kernel, session, event.proforma_id)
    elif isinstance(event, ProformaConverted):
        stock.hand_over(session, (SOURCE, event.proforma_id), ("invoice", event.invoice_id))
    elif isinstance(event, ProformaCancelled):
        stock.release(session, SOURCE, event.proforma_id)
    elif isinstance(event, RecordDeleted) and event.resource == "finance.proforma":
        stock.release(session, SOURCE, event.record_id)


def reserve_for(kernel: Any, session: Session, proforma_id: int) -> int:
    """Reserve the proforma's goods; answers how many lines were reserved (0 if it held some)."""
    if stock.reserved_by(session, SOURCE, proforma_id):
        return 0
    doc = session.get(Proforma, proforma_id)
    assert doc is not None
    wanted = goods_of(session, doc)
    warehouse_id = policy.invoice_warehouse_id(kernel, session)
    if not wanted or warehouse_id is None:
        return 0
    made = stock.reserve(session, SOURCE, proforma_id, warehouse_id, sorted(wanted.items()),
                         refuse_beyond_available=policy.invoice_policy(kernel, session) == "refuse")
    return len(made)
