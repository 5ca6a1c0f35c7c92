"""The plans' payments (FIN-08) as a list, a record page, exports and the API: every payment
given or promised against an invoice — its day, the invoice, the customer, the kind, the amount,
its state and its cheque — filtered by kind, state and (Jalali) date. Payments are written only by
:mod:`modules.finance.services.payments` and the cheques' changes (a payment's receipt, its
allocations and the instalments move together), so the resource is read-only: no Add, no Edit, no
Delete, and the API refuses every write. The record scope follows the customer
(``Payment.__scope_follows__``): a clerk limited to Isfahan sees Isfahan's payments only."""

from __future__ import annotations

from kernel import Field, Resource
from modules.finance.models import Payment
from modules.finance.models.plan import PAYMENT_KINDS, PAYMENT_STATES

PAYMENT = Resource(
    name="finance.payment", model=Payment, label="Payment", label_plural="Payments of plans",
    columns=("date", "invoice_id", "partner_id", "kind", "amount", "state", "cheque_id"),
    form=("date", "invoice_id", "partner_id", "kind", "amount", "state", "cheque_id", "cleared_on",
          "slip_number", "payer_name", "account_id", "terminal_id", "trace_number", "note"),
    filters=("kind", "state", "date", "invoice_id", "partner_id"),
    read_only=True,
    fields={
        "date": Field(label="Date", help="For a promise, the day it is promised for"),
        "invoice_id": Field(label="Invoice"),
        "partner_id": Field(label="Customer"),
        "kind": Field(label="Kind of payment", choices=PAYMENT_KINDS),
        "amount": Field(kind="money", label="Amount"),
        "state": Field(label="State", choices=PAYMENT_STATES),
        "cheque_id": Field(label="Cheque"),
        "cleared_on": Field(label="Collected on"),
        "slip_number": Field(kind="code", label="Deposit slip number"),
        "payer_name": Field(label="Paid in by"),
        "account_id": Field(label="Into our account"),
        "terminal_id": Field(label="POS terminal"),
        "trace_number": Field(kind="code", label="Trace number"),
        "note": Field(label="Note"),
        "reminder_id": Field(internal=True),
    },
    title_field="date", default_sort="-id", global_search=False, icon="wallet",
)


def payment_resources() -> list[Resource]:
    return [PAYMENT]
