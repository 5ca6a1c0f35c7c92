"""The fiscal year's rows (FIN-16) in lists, record pages, exports (xlsx) and the API: the closed
years, the opening balances and the carried items. All are written only by the close and its undo
(:mod:`modules.finance.services.fiscal_close`): their forms and API refuse every write, and the
recycle bin refuses them (``hooks``), so what people get is the list, its filters and its export."""

from __future__ import annotations

from typing import Any

from kernel import Field, InputError, Resource
from modules.finance.models import FiscalCarry, FiscalOpening, FiscalYear
from modules.finance.models.fiscal import CARRY_KINDS, FISCAL_STATES, OPENING_SIDES

NAMES = ("finance.fiscal_year", "finance.fiscal_opening", "finance.fiscal_carry")


def _written_by_the_close(values: dict[str, Any], **_: Any) -> dict[str, InputError]:
    return {"__all__": InputError("Written by closing the fiscal year: not by hand")}


_YEAR = Field(kind="year", label="Fiscal year", readonly=True)

YEAR = Resource(
    name="finance.fiscal_year", model=FiscalYear, label="Fiscal year", label_plural="Fiscal years",
    columns=("year", "state", "closed_at", "closed_by_id", "reopened_at", "openings", "opening_total",
             "supplier_openings", "supplier_total", "carried"),
    filters=("state",), validate=_written_by_the_close,
    fields={
        "year": _YEAR,
        "state": Field(label="State", choices=FISCAL_STATES, readonly=True),
        "closed_at": Field(label="Closed at", readonly=True),
        "closed_by_id": Field(label="Closed by", readonly=True),
        "reopened_at": Field(label="Close undone at", readonly=True),
        "reopened_by_id": Field(label="Close undone by", readonly=True),
        "openings": Field(kind="int", label="Customers with an opening balance", readonly=True),
        "opening_total": Field(kind="money", label="Opening balances", readonly=True),
        "carried": Field(kind="int", label="Items carried forward", readonly=True),
        "supplier_openings": Field(kind="int", label="Suppliers with an opening balance", readonly=True),
        "supplier_total": Field(kind="money", label="Owed to suppliers", readonly=True),
    },
    title_field="year", default_sort="-year", global_search=False, icon="calendar",
)

OPENING = Resource(
    name="finance.fiscal_opening", model=FiscalOpening, label="Opening balance", label_plural="Opening balances",
    # The side last: the columns before it are those of the customers-only openings of before.
    columns=("year", "partner_id", "amount", "invoices", "side"),
    filters=("year", "side", "partner_id"), validate=_written_by_the_close,
    fields={
        "year": _YEAR,
        "partner_id": Field(label="Partner", readonly=True),
        "side": Field(label="Whose balance", choices=OPENING_SIDES, readonly=True),
        "amount": Field(kind="money", label="Owed at the year's end", readonly=True),
        "invoices": Field(kind="int", label="Open invoices", readonly=True),
    },
    title_field="partner_id", default_sort="-amount", global_search=False, icon="wallet",
)

CARRY = Resource(
    name="finance.fiscal_carry", model=FiscalCarry, label="Carried item", label_plural="Carried items",
    columns=("year", "kind", "reference", "partner_id", "date", "amount"),
    filters=("year", "kind", "partner_id"), validate=_written_by_the_close,
    fields={
        "year": _YEAR,
        "kind": Field(label="Kind", choices=CARRY_KINDS, readonly=True),
        "partner_id": Field(label="Partner", readonly=True),
        "invoice_id": Field(label="Invoice", ref="finance.invoice", readonly=True),
        "proforma_id": Field(label="Proforma", ref="finance.proforma", readonly=True),
        "cheque_id": Field(label="Cheque", ref="finance.cheque", readonly=True),
        "instalment_id": Field(label="Instalment", readonly=True, internal=True),
        "purchase_id": Field(label="Purchase invoice", ref="finance.purchase", readonly=True),
        "own_cheque_id": Field(label="Our cheque", ref="finance.own_cheque", readonly=True),
        "reference": Field(kind="code", label="Number", readonly=True),
        "date": Field(label="Date or due date", readonly=True),
        "amount": Field(kind="money", label="Still open", readonly=True),
    },
    title_field="reference", default_sort="date", global_search=False, icon="wallet",
)


def fiscal_resources() -> list[Resource]:
    return [YEAR, OPENING, CARRY]
