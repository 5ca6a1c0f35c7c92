"""Proformas, invoices, cash receipts and tax rates in lists, forms, filters, exports and the API.

The header is edited through the resource's own form (its rules in ``check_document``); lines,
issuing, conversion, voiding and receipts go through :mod:`modules.finance.services`, which the
routes and the line editor call."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kernel import CellIcon, Field, Filter, InputError, Resource, Section
from modules.finance.models import Invoice, Proforma, Receipt, TaxRate
from modules.finance.models.document import INVOICE_STATES, INVOICE_TYPES, PROFORMA_STATES
from modules.finance.models.document_base import DOC_KINDS
from modules.finance.models.receipt import METHODS
from modules.finance.models.tax import TAX_KINDS
from modules.finance.rules import PERCENT_HELP
from modules.finance.search import lookup
from modules.finance.totals import DISCOUNT_KINDS

SETTLEMENT = (("open", "Open (unsettled)"), ("settled", "Settled"))


# FAQ 26: a converted proforma shows a green arrow in the list, labelled with its invoice.
_CONVERTED = CellIcon("arrow-left", "Converted into {text}", "green")


def _converted_icon(invoice_id: int | None) -> CellIcon | None:
    return _CONVERTED if invoice_id else None


# FAQ 3: a voided invoice stays in the list under its number, marked in red beside its state
# (its row otherwise read like a settled one: the same number of columns, a zero balance).
_VOID = CellIcon("alert", "Voided: its number is kept and never given again", "red")


def _void_icon(state: str | None) -> CellIcon | None:
    return _VOID if state == "void" else None


def _settlement(value: str) -> Any:
    if value == "open":
        return (Invoice.state == "issued") & (Invoice.balance > 0)
    if value == "settled":
        return (Invoice.state == "issued") & (Invoice.balance == 0)
    raise InputError("Choose one of the listed values")


def _settlement_choices(**_: Any) -> list[tuple[str, str]]:
    return list(SETTLEMENT)


def check_document(values: dict[str, Any], record: Any = None, session: Any = None, actor: Any = None,
                   kernel: Any = None, **_: Any) -> dict[str, InputError]:
    """Header rules in every path (form, API, services): who may change it in its state, the
    validity end not before the date, a document discount that fits the lines."""
    from kernel import Conflict
    from modules.finance.services.documents import check_editable, lines_of, totals_for

    errors: dict[str, InputError] = {}
    if record is not None and actor is not None:
        try:
            check_editable(actor, record)
        except Conflict as exc:
            return {"__all__": InputError(exc.msgid)}
    if kernel is not None and session is not None:  # -- fiscal year: nothing written in a closed year
        from modules.finance.fiscal_guard import problems

        dates = {"date": values.get("date")}
        if record is not None and record.date != values.get("date"):  # moved out of a closed year
            dates["__all__"] = record.date
        closed = problems(kernel, session, dates)
        if closed:
            return closed
    start, end = values.get("date"), values.get("valid_until")
    if start and end and end < start:
        errors["valid_until"] = InputError("The validity cannot end before the proforma's date")
    if values.get("discount_kind") == "percent" and (values.get("discount_value") or 0) > 100:
        errors["discount_value"] = InputError("A percentage discount is at most 100")
    if (values.get("discount_value") or 0) < 0:
        errors["discount_value"] = InputError("A discount cannot be negative")
    if (values.get("shipping") or 0) < 0:
        errors["shipping"] = InputError("The shipping cost cannot be negative")
    if record is not None and session is not None and not errors:
        probe = type(record)(**{k: v for k, v in values.items() if k in ("discount_kind", "discount_value",
                                                                          "shipping", "vat_rate_bp",
                                                                          "municipal_rate_bp")})
        probe.discount_value = Decimal(probe.discount_value or 0)
        from kernel.records import FormErrors

        try:
            totals_for(probe, lines_of(session, record))
        except FormErrors as exc:
            errors |= exc.errors
    return errors


_HEADER_FIELDS = {
    # A document number reads left to right, with Persian digits on Persian pages (kind "code").
    "number": Field(kind="code", label="Number", readonly=True),
    # The number taken apart for the top-bar search (finance.search); nobody reads or types these.
    "number_year": Field(label="Fiscal year of the number", readonly=True, internal=True),
    "number_seq": Field(label="Running part of the number", readonly=True, internal=True),
    "partner_id": Field(label="Customer"),
    "date": Field(label="Date"),
    "marketer_id": Field(label="Marketer"),
    # -- commissions (FIN-13): only partners with the role "Sales agent" are offered.
    "agency_id": Field(label="Agency", ref_filter={"role": "agent"}),
    "title": Field(label="Title"),
    "description": Field(label="Description"),
    "kind": Field(label="Goods or services", choices=DOC_KINDS),
    "discount_kind": Field(label="Document discount as", choices=DISCOUNT_KINDS),
    "discount_value": Field(label="Document discount", help="A plain number: a percentage or Rials, as chosen"),
    "vat_rate_bp": Field(label="VAT rate (basis points)", readonly=True),
    "municipal_rate_bp": Field(label="Municipal tax rate (basis points)", readonly=True),
    "shipping": Field(kind="money", label="Shipping cost"),
    "exit_number": Field(label="Exit number"),
    "remittance_number": Field(label="Remittance number"),
    "end_date": Field(label="End date", help="A contract's end or a departure date: it is reminded"),
    "issued_at": Field(label="Issued at", readonly=True),
    "net_amount": Field(kind="money", label="Total of the lines", readonly=True),
    "discount_amount": Field(kind="money", label="Document discount amount", readonly=True),
    "vat_amount": Field(kind="money", label="VAT", readonly=True),
    "municipal_amount": Field(kind="money", label="Municipal tax", readonly=True),
    "grand_total": Field(kind="money", label="Grand total", readonly=True),
}
_HEADER = ("partner_id", "date", "marketer_id", "agency_id", "title", "kind", "description")
_AMOUNTS = ("discount_kind", "discount_value", "shipping", "exit_number", "remittance_number", "end_date")
_TOTALS = ("net_amount", "discount_amount", "vat_rate_bp", "vat_amount", "municipal_rate_bp", "municipal_amount",
           "grand_total")

def _complete(doc: Any, **kw: Any) -> None:
    """A new header's rates and totals, in its INSERT (``services.documents.complete_header``)."""
    from modules.finance.services.documents import complete_header

    complete_header(doc, **kw)


PROFORMA = Resource(
    name="finance.proforma", model=Proforma, label="Proforma", label_plural="Proformas",
    columns=("number", "partner_id", "date", "grand_total", "state", "converted_invoice_id"),
    sections=(
        Section("", ("number", *_HEADER[:2], "valid_until", *_HEADER[2:])),
        Section("Discount, shipping and numbers", _AMOUNTS),
        Section("Totals", (*_TOTALS, "state", "issued_at", "converted_invoice_id", "cancel_reason")),
    ),
    search=("number", "title", "description"), lookup=lookup(Proforma),
    filters=("partner_id", "state", "date", "marketer_id", "kind", "valid_until"),
    validate=check_document, complete=_complete,
    fields={
        **_HEADER_FIELDS,
        "valid_until": Field(label="Valid until"),
        "state": Field(label="State", choices=PROFORMA_STATES, readonly=True),
        # The invoice it became: its number in the list and on the page (FAQ 26).
        "converted_invoice_id": Field(label="Converted into", kind="ref", ref="finance.invoice", readonly=True,
                                      icon=_converted_icon),
        "cancel_reason": Field(label="Reason for cancelling", readonly=True),
    },
    title_field="number", default_sort="-id", icon="file",
)

INVOICE = Resource(
    name="finance.invoice", model=Invoice, label="Invoice", label_plural="Invoices",
    columns=("number", "partner_id", "date", "invoice_type", "grand_total", "balance", "state"),
    sections=(
        Section("", ("number", *_HEADER[:2], "invoice_type", *_HEADER[2:])),
        Section("Discount, shipping and numbers", _AMOUNTS),
        Section("Totals", (*_TOTALS, "received", "balance", "state", "issued_at", "proforma_id", "void_reason")),
    ),
    search=("number", "title", "description"), lookup=lookup(Invoice),
    filters=("partner_id", "state", "date", "marketer_id", "invoice_type", "kind"),
    custom_filters=(Filter("settlement", "Settlement", _settlement, choices=_settlement_choices),),
    validate=check_document, complete=_complete,
    fields={
        **_HEADER_FIELDS,
        "invoice_type": Field(label="Invoice type", choices=INVOICE_TYPES),
        "state": Field(label="State", choices=INVOICE_STATES, readonly=True, icon=_void_icon),
        "proforma_id": Field(label="From proforma", readonly=True),
        "received": Field(kind="money", label="Received", readonly=True),
        "balance": Field(kind="money", label="Open balance", readonly=True),
        "void_reason": Field(label="Reason for voiding", readonly=True),
    },
    title_field="number", default_sort="-id", icon="file",
)


def _check_receipt(values: dict[str, Any], **kw: Any) -> Any:
    from modules.finance.services.receipts import check_receipt

    return check_receipt(values, **kw)


RECEIPT = Resource(
    name="finance.receipt", model=Receipt, label="Receipt", label_plural="Receipts",
    columns=("invoice_id", "date", "amount", "method", "note"),
    form=("invoice_id", "date", "amount", "method", "note"),
    filters=("invoice_id", "date", "method"),
    validate=_check_receipt,
    fields={
        "invoice_id": Field(label="Invoice"),
        "date": Field(label="Date"),
        "amount": Field(kind="money", label="Amount"),
        "method": Field(label="Method", choices=METHODS),
        "note": Field(label="Note"),
    },
    title_field="date", default_sort="-id", global_search=False,
)

TAX_RATE = Resource(
    name="finance.tax_rate", model=TaxRate, label="Tax rate", label_plural="Tax rates",
    columns=("kind", "rate", "valid_from", "note"),
    form=("kind", "rate", "valid_from", "note"),
    filters=("kind", "valid_from"),
    shared=True, global_search=False,
    fields={
        "kind": Field(label="Tax", choices=TAX_KINDS),
        # Typed and shown as a percent («۹٪», «۹٫۵»), kept as basis points (kernel.scaled.Percent).
        "rate": Field(kind="percent", label="Rate %", help=PERCENT_HELP),
        "valid_from": Field(label="In force from", help="Jalali date, e.g. 1403/01/01"),
        "note": Field(label="Note"),
    },
    title_field="valid_from", default_sort="-valid_from",
)


def document_resources() -> list[Resource]:
    return [PROFORMA, INVOICE, RECEIPT, TAX_RATE]
