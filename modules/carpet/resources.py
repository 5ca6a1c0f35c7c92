"""Designs, dealers, warranty batches and cards in lists, forms, filters, exports and the API.
Cards and batches are written only by the module's services (made from invoices, printed for a
dealer, registered by SMS, voided): read-only resources."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from kernel import Field, InputError, Resource
from modules.carpet.models import CarpetDesign, Dealer, WarrantyBatch, WarrantyCard
from modules.carpet.models.warranty import STATES


def _positive(value: int) -> None:
    if int(value) <= 0:
        raise InputError("Enter a number more than zero")


def _check_design(values: Mapping[str, Any], record: Any = None, session: Any = None, **_: Any) -> Any:
    code = (values.get("code") or "").strip()
    if session is None or not code:
        return None
    same = select(CarpetDesign.id).where(CarpetDesign.code == code, CarpetDesign.deleted_at.is_(None))
    if record is not None:
        same = same.where(CarpetDesign.id != record.id)
    if session.scalar(same.limit(1)) is not None:
        return {"code": InputError("Another design has this code")}
    return None


def _check_dealer(values: Mapping[str, Any], record: Any = None, session: Any = None, **_: Any) -> Any:
    partner = values.get("partner_id")
    if session is None or not partner:
        return None
    same = select(Dealer.id).where(Dealer.partner_id == partner)
    if record is not None:
        same = same.where(Dealer.id != record.id)
    if session.scalar(same.limit(1)) is not None:
        return {"partner_id": InputError("This partner is a dealer already")}
    return None


def _card_code(value: Any) -> str:
    return str(value or "")


DESIGN = Resource(
    name="carpet.design", model=CarpetDesign, label="Carpet design", label_plural="Carpet designs",
    columns=("code", "name", "reeds", "density", "colours", "product_id"),
    form=("code", "name", "product_id", "reeds", "density", "colours", "description"),
    search=("code", "name", "description"), filters=("reeds", "product_id"),
    validate=_check_design, title_field="name", default_sort="code", icon="list",
    fields={
        "code": Field(kind="code", label="Design code", help="As printed on the label, e.g. 1201 or A-1201"),
        "name": Field(label="Design name"),
        "product_id": Field(label="Product", ref="finance.product",
                            help="The product the design is sold as; its sizes and colours are its variants"),
        "reeds": Field(label="Reeds", help="Shaneh: 700, 1000, 1200 …", validate=_positive),
        "density": Field(label="Density", help="Knots per metre of length", validate=_positive),
        "colours": Field(label="Colours", help="How many colours the design is woven with", validate=_positive),
        "description": Field(label="Description"),
    },
)

DEALER = Resource(
    name="carpet.dealer", model=Dealer, label="Dealer", label_plural="Dealers",
    columns=("partner_id", "city", "active"), form=("partner_id", "city", "active", "note"),
    search=("city", "note"), filters=("active", "partner_id"), validate=_check_dealer,
    title_field="partner_id", icon="users",
    fields={
        "partner_id": Field(label="Partner"),
        "city": Field(label="City"),
        "active": Field(label="Active"),
        "note": Field(label="Note"),
    },
)

BATCH = Resource(
    name="carpet.batch", model=WarrantyBatch, label="Batch of warranty cards", label_plural="Batches of warranty cards",
    columns=("id", "dealer_id", "design_id", "count", "created_at"), form=("dealer_id", "design_id", "count", "note"),
    filters=("dealer_id", "design_id"), read_only=True, icon="file",
    fields={
        "dealer_id": Field(label="Dealer", ref="carpet.dealer"),
        "design_id": Field(label="Carpet design", ref="carpet.design"),
        "count": Field(label="Cards"),
        "note": Field(label="Note"),
    },
)

CARD = Resource(
    name="carpet.card", model=WarrantyCard, label="Warranty card", label_plural="Warranty cards",
    columns=("code", "state", "design_id", "product_id", "serial", "dealer_id", "mobile", "registered_at"),
    form=("code", "state", "design_id", "product_id", "serial", "invoice_id", "dealer_id", "batch_id", "partner_id",
          "mobile", "registered_at", "void_reason"),
    search=("code", "serial", "mobile"),
    filters=("state", "dealer_id", "design_id", "invoice_id", "batch_id", "partner_id", "registered_at", "created_at"),
    lookup=lambda text: _lookup(text), read_only=True, title_field="code", icon="file",
    fields={
        "code": Field(kind="code", label="Card code"),
        "state": Field(choices=STATES, label="State"),
        "design_id": Field(label="Carpet design", ref="carpet.design"),
        "product_id": Field(label="Product", ref="finance.product"),
        "serial": Field(kind="code", label="Serial number"),
        "invoice_id": Field(label="Invoice", ref="finance.invoice"),
        "invoice_line_id": Field(label="Invoice line", internal=True),
        "dealer_id": Field(label="Dealer", ref="carpet.dealer"),
        "batch_id": Field(label="Batch of warranty cards", ref="carpet.batch"),
        "partner_id": Field(label="Customer", ref="base.partner"),
        "mobile": Field(kind="phone", label="Registered mobile"),
        "registered_at": Field(label="Registered at"),
        "void_reason": Field(label="Reason for voiding"),
    },
)


def _lookup(text: str) -> Any:
    """A typed card code (any spelling the customer reads out) finds its card by the unique index."""
    from modules.carpet.codes import LENGTH, candidates

    found = candidates(text)
    if len(found) == 1 and len(text.strip()) <= LENGTH + 4:
        return WarrantyCard.code == found[0]
    return None


def resources() -> list[Resource]:
    return [DESIGN, DEALER, BATCH, CARD]
