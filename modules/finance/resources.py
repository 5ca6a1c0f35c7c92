"""What the catalogue looks like in lists, forms, filters, exports and the API."""

from __future__ import annotations

from kernel import Field, Resource, Section
from modules.finance.models import Product
from modules.finance.models.product import KINDS

PRODUCT = Resource(
    name="finance.product", model=Product, label="Product", label_plural="Products",
    columns=("code", "name", "kind", "unit", "price", "active"),
    sections=(
        Section("", ("name", "code", "barcode", "kind", "unit", "price", "tax_exempt", "active")),
        Section("Variant", ("parent_id",)),
        Section("Description", ("description",)),
    ),
    search=("name", "code", "barcode"),
    sort_key="name",
    filters=("kind", "active", "tax_exempt", "parent_id"),
    # The catalogue is the whole company's: no own/team/province scope narrows it.
    shared=True,
    fields={
        "name": Field(label="Name"),
        "code": Field(label="Code"),
        "barcode": Field(label="Barcode"),
        "kind": Field(label="Goods or service", choices=KINDS),
        "unit": Field(label="Unit"),
        "price": Field(kind="money", label="Base price"),
        "tax_exempt": Field(label="Exempt from VAT"),
        "parent_id": Field(label="Variant of"),
        "active": Field(label="Active"),
        "description": Field(label="Description"),
    },
)


def resources() -> list[Resource]:
    # -- documents (proformas, invoices, receipts, tax rates): resources_documents.py ----------
    from modules.finance.resources_documents import document_resources

    return [PRODUCT, *document_resources()]
