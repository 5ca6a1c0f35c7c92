"""Purchase invoices (FIN-18), what we paid suppliers and our own cheques in lists, forms,
filters, exports and the API. A purchase's header is typed in its form; its lines, posting,
voiding and payments are on its page (:mod:`modules.finance.routes.purchases`)."""

from __future__ import annotations

from typing import Any

from kernel import Field, InputError, Resource
from modules.finance.models import OwnCheque, Purchase, PurchasePayment
from modules.finance.models.own_cheque import OWN_CHEQUE_STATES
from modules.finance.models.purchase import PAYMENT_METHODS, PURCHASE_STATES
from modules.finance.resources_documents import _void_icon  # marked as a voided invoice is (FAQ 3)


def _check_purchase(values: dict[str, Any], **kw: Any) -> Any:
    from modules.finance.services.purchases import check_purchase

    return check_purchase(values, **kw)


def _check_payment(values: dict[str, Any], **kw: Any) -> Any:
    from modules.finance.services.purchase_payments import check_payment

    return check_payment(values, **kw)


PURCHASE = Resource(
    name="finance.purchase", model=Purchase, label="Purchase invoice", label_plural="Purchase invoices",
    columns=("number", "partner_id", "supplier_number", "date", "grand_total", "balance", "state"),
    # Only what people type: the kernel's form would show the kept amounts as inputs too. The
    # state, totals and payments are under the page (slots_purchases) and on its work page.
    form=("partner_id", "supplier_number", "date", "notes"),
    search=("number", "supplier_number", "notes"), filters=("partner_id", "state", "date"),
    validate=_check_purchase,
    fields={
        "number": Field(kind="code", label="Our number", readonly=True),
        "partner_id": Field(label="Supplier", ref_filter={"role": "supplier"}),
        "supplier_number": Field(kind="code", label="Supplier's invoice number"),
        "date": Field(label="Date"),
        "notes": Field(label="Notes"),
        "state": Field(label="State", choices=PURCHASE_STATES, readonly=True, icon=_void_icon),
        "vat_rate_bp": Field(label="VAT rate (basis points)", readonly=True),
        "municipal_rate_bp": Field(label="Municipal tax rate (basis points)", readonly=True),
        "net_amount": Field(kind="money", label="Total before tax", readonly=True),
        "vat_amount": Field(kind="money", label="VAT", readonly=True),
        "municipal_amount": Field(kind="money", label="Municipal tax", readonly=True),
        "grand_total": Field(kind="money", label="Grand total", readonly=True),
        "paid": Field(kind="money", label="Paid", readonly=True),
        "balance": Field(kind="money", label="Open balance", readonly=True),
        "posted_at": Field(label="Posted at", readonly=True),
        "void_reason": Field(label="Reason for voiding", readonly=True),
        "voided_at": Field(label="Voided at", readonly=True),
    },
    title_field="number", default_sort="-id", icon="file",
)

PURCHASE_PAYMENT = Resource(
    name="finance.purchase_payment", model=PurchasePayment, label="Payment to a supplier",
    label_plural="Payments to suppliers",
    columns=("purchase_id", "date", "amount", "method", "account_id", "reference", "cancelled_on"),
    form=("purchase_id", "date", "amount", "method", "account_id", "reference", "note"),
    filters=("purchase_id", "date", "method", "account_id"),
    validate=_check_payment,
    fields={
        "purchase_id": Field(label="Purchase invoice"),
        "date": Field(label="Date"),
        "amount": Field(kind="money", label="Amount"),
        "method": Field(label="Method", choices=PAYMENT_METHODS),
        "account_id": Field(label="From our account", ref="finance.bank_account"),
        "reference": Field(kind="code", label="Tracking or cheque number"),
        "cheque_id": Field(label="Customer's cheque", ref="finance.cheque", readonly=True),
        "own_cheque_id": Field(label="Our cheque", ref="finance.own_cheque", readonly=True),
        "note": Field(label="Note"),
        "cancelled_on": Field(label="Cheque came back on", readonly=True),
    },
    title_field="date", default_sort="-id", global_search=False,
)

def _given_from_a_purchase(values: dict[str, Any], record: Any = None, **_: Any) -> dict[str, InputError]:
    """Our cheque is written with the payment it makes (the purchase's page), never alone."""
    if record is None:
        return {"__all__": InputError("Our cheque is given from the purchase invoice's page")}
    return {}


OWN_CHEQUE = Resource(
    name="finance.own_cheque", model=OwnCheque, label="Our cheque", label_plural="Our cheques",
    columns=("number", "partner_id", "amount", "due_date", "account_id", "state"),
    form=(),
    search=("number", "sayad_id"), filters=("partner_id", "state", "due_date", "account_id"),
    validate=_given_from_a_purchase,
    fields={
        "partner_id": Field(label="Supplier", readonly=True),
        "account_id": Field(label="Our account", ref="finance.bank_account", readonly=True),
        "number": Field(kind="code", label="Cheque number", readonly=True),
        "sayad_id": Field(kind="code", label="Sayad ID", readonly=True),
        "amount": Field(kind="money", label="Amount", readonly=True),
        "issued_on": Field(label="Given on", readonly=True),
        "due_date": Field(label="Due date", readonly=True),
        "state": Field(label="State", choices=OWN_CHEQUE_STATES, readonly=True),
        "state_on": Field(label="State since", readonly=True),
    },
    title_field="number", default_sort="due_date", global_search=False,
)


def purchase_resources() -> list[Resource]:
    return [PURCHASE, PURCHASE_PAYMENT, OWN_CHEQUE]
