"""What a sales order looks like in its list, form, filters, exports and the API. The form is
the header (customer, deal, date, notes); the lines, the state and the steps are on the record
page (``order_page``) and change only through ``services.orders``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kernel import Field, InputError, Resource, Section
from kernel.timezone import local_today
from modules.sales.models import Opportunity, SalesOrder
from modules.sales.models.order import EDITABLE, STATES

FORM = ("opportunity_id", "partner_id", "date", "notes")


def _check(values: Mapping[str, Any], record: Any = None, session: Any = None, **_: Any) -> dict[str, Any] | None:
    if record is not None and record.state not in EDITABLE and any(
            values.get(n) != getattr(record, n) for n in FORM if n in values):
        return {"notes": InputError("Only a draft or returned sales order can be changed")}
    if not values.get("partner_id") and not values.get("opportunity_id"):
        return {"partner_id": InputError("Choose a customer or an opportunity")}
    opp_id = values.get("opportunity_id")
    if opp_id and values.get("partner_id") and session is not None:
        opp = session.get(Opportunity, int(opp_id))
        if opp is not None and opp.partner_id != int(values["partner_id"]):
            return {"partner_id": InputError("The order's customer is the opportunity's customer")}
    return None


def _complete(order: SalesOrder, session: Any = None, kernel: Any = None, **_: Any) -> None:
    """An order written from a deal is for the deal's customer; without a date, it is today's
    (Tehran's day, not the server's)."""
    if order.opportunity_id and not order.partner_id:
        opp = session.get(Opportunity, order.opportunity_id)
        order.partner_id = opp.partner_id
    if order.date is None:
        order.date = local_today(kernel.config.timezone)


ORDER = Resource(
    name="sales.order", model=SalesOrder, label="Sales order", label_plural="Sales orders",
    columns=("number", "partner_id", "opportunity_id", "date", "state", "total", "owner_id"),
    sections=(Section("", FORM),),
    search=("number", "notes"), filters=("state", "owner_id", "date", "partner_id", "opportunity_id"),
    validate=_check, complete=_complete, approvable=True,
    fields={
        "number": Field(kind="code", label="Number", readonly=True),
        "opportunity_id": Field(label="Opportunity", required=False),
        "partner_id": Field(label="Customer", required=False, help="Leave empty: the opportunity's customer"),
        "date": Field(label="Date", starts_today=True),
        "state": Field(choices=STATES, label="State", readonly=True),
        "notes": Field(label="Notes"),
        "total": Field(kind="money", label="Total before tax", readonly=True),
        "submitted_at": Field(label="Submitted at", readonly=True),
        "approved_at": Field(label="Approved at", readonly=True),
        "approved_by_id": Field(label="Approved by", readonly=True),
        "returned_at": Field(label="Returned at", readonly=True),
        "return_note": Field(label="Manager's note", readonly=True),
        "cancelled_at": Field(label="Cancelled at", readonly=True),
        "proforma_id": Field(label="Proforma", readonly=True),
        "invoice_id": Field(label="Invoice", readonly=True),
    },
    title_field="number", default_sort="-id", icon="list",
)
