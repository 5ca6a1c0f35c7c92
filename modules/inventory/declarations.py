"""The resource declarations of inventory (``resources.py`` lists them)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kernel import Field, InputError, Resource, Section
from modules.inventory.models import KINDS, STATES, StockDocument, Warehouse


def _check_document(values: Mapping[str, Any], record: StockDocument | None = None,
                    **_: Any) -> dict[str, InputError] | None:
    """A transfer goes somewhere else (only a draft changes at all: ``locked``)."""
    if values.get("kind") == "transfer" and values.get("to_warehouse_id") in (None, values.get("warehouse_id")):
        return {"to_warehouse_id": InputError("A transfer goes to a warehouse other than its origin")}
    return None


WAREHOUSE = Resource(
    name="inventory.warehouse", model=Warehouse, label="Warehouse", label_plural="Warehouses",
    columns=("name", "code", "is_default", "active"), form=("name", "code", "address", "is_default", "active"),
    search=("name", "code"), shared=True,
    fields={"name": Field(label="Name"), "code": Field(kind="code", label="Code"), "address": Field(label="Address"),
            "is_default": Field(label="Default warehouse",
                                help="Invoices and sales orders take their stock from it unless told otherwise"),
            "active": Field(label="Active")},
    title_field="name", default_sort="name", icon="inbox",
)

DOCUMENT = Resource(
    name="inventory.document", model=StockDocument, label="Stock document", label_plural="Stock documents",
    columns=("number", "kind", "date", "warehouse_id", "to_warehouse_id", "partner_id", "state"),
    sections=(Section("", ("kind", "date", "warehouse_id", "to_warehouse_id", "partner_id")),
              Section("Notes", ("notes",))),
    search=("number", "notes"), filters=("kind", "state", "warehouse_id", "date", "partner_id"),
    validate=_check_document, shared=True,
    # Posted or void, it keeps its number and its moves: a mistake is voided, never edited or deleted.
    locked=lambda doc: None if doc.state == "draft" else "A posted or void stock document cannot be changed",
    fields={
        "kind": Field(choices=KINDS, label="Kind"),
        "number": Field(kind="code", label="Number", readonly=True),
        "date": Field(label="Date"),
        "state": Field(choices=STATES, label="State", readonly=True),
        "warehouse_id": Field(label="Warehouse", ref="inventory.warehouse"),
        "to_warehouse_id": Field(label="To warehouse", ref="inventory.warehouse", required=False,
                                 help="For a transfer only"),
        "partner_id": Field(label="Partner", required=False),
        "source": Field(label="Made from", readonly=True),
        "source_id": Field(label="Made from (id)", internal=True),
        "notes": Field(label="Notes"),
        "posted_at": Field(label="Posted at", readonly=True),
        "void_reason": Field(label="Reason for voiding", readonly=True),
        "voided_at": Field(label="Voided at", readonly=True),
    },
    title_field="number", default_sort="-id", icon="inbox",
)
