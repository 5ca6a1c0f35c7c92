"""How purchases (FIN-18) and the average cost (FIN-14) follow the rest of finance, in the
transaction of each change: an issued invoice takes its lines out at the average of that moment,
an edited one takes them out again as edited, a voided one puts them back; a payment recounts its
purchase, and one made by our own cheque is not removed while the cheque is out; one made by
endorsing a customer's cheque takes the endorsement with it (the cheque comes back) while nothing
happened to the cheque since; a customer's cheque endorsed to a supplier that bounces re-opens
what it paid."""

from __future__ import annotations

from typing import Any

from kernel import Conflict, RecordChanged, RecordDeleted, RecordRestored
from kernel.timezone import local_today
from modules.finance.events import ChequeChanged, InvoiceChanged, InvoiceIssued, InvoiceVoided


def on_purchase_event(kernel: Any, event: Any, session: Any) -> None:
    if isinstance(event, InvoiceIssued):
        from modules.finance.models import Invoice, InvoiceLine
        from modules.finance.services import average_cost
        from modules.finance.services.documents import lines_of

        invoice = session.get(Invoice, event.invoice_id)
        lines: list[InvoiceLine] = lines_of(session, invoice)
        average_cost.sale_out(session, invoice.id, invoice.date, lines)
    elif isinstance(event, InvoiceVoided):
        from modules.finance.services import average_cost

        average_cost.cancel(session, "sale", event.invoice_id)
    elif isinstance(event, InvoiceChanged):  # its lines edited (FAQ 44), or a receipt: moves follow lines
        from modules.finance.services.sale_edits import follow_lines

        follow_lines(session, event.invoice_id)
    elif isinstance(event, RecordDeleted) and event.resource == "finance.purchase":
        from modules.finance.models import Purchase

        doc = session.get(Purchase, event.record_id)
        if doc is not None and doc.state != "draft":
            # Like an issued invoice (FAQ 3): a posted purchase keeps its number; it is voided.
            raise Conflict("A posted purchase invoice is not deleted: void it, and it keeps its number")
    elif isinstance(event, RecordDeleted) and event.resource == "finance.purchase_payment":
        from modules.finance.services.own_cheques import refuse_removal

        refuse_removal(session, event.record_id)
        from modules.finance.services.endorsements import undo_for_deleted_payment

        undo_for_deleted_payment(kernel, session, event.record_id)
    elif isinstance(event, RecordRestored) and event.resource == "finance.purchase_payment":
        from modules.finance.services.endorsements import refuse_restore

        refuse_restore(session, event.record_id)
    elif isinstance(event, RecordChanged) and event.resource == "finance.purchase" and event.action == "update":
        from modules.finance.models import Purchase
        from modules.finance.services import purchases

        doc = session.get(Purchase, event.record_id)
        if doc is not None and doc.state == "draft":  # a new date brings the rates of that date
            purchases.recompute(session, doc, purchases.lines_of(session, doc.id))
            session.flush()
    elif isinstance(event, RecordChanged) and event.resource == "finance.purchase_payment":
        from modules.finance.services.purchase_payments import on_payment_changed

        on_payment_changed(kernel, session, event)
    elif isinstance(event, ChequeChanged) and event.from_state == "endorsed" and event.to_state == "bounced":
        from modules.finance.services.purchase_payments import cancel_for

        cancel_for(session, local_today(kernel.config.timezone), cheque_id=event.cheque_id)
