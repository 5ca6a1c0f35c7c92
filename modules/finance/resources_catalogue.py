"""The catalogue, price lists, competitors' prices and sales policies in lists, forms, filters,
exports and the API (FIN-01 … FIN-03)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from kernel import Field, InputError, Resource, Section
from modules.finance.models import (
    Attribute,
    AttributeValue,
    CompetitorPrice,
    PolicyStep,
    PriceList,
    PriceListItem,
    PriceTier,
    Product,
    ProductGroup,
    SalesPolicy,
)
from modules.finance.models.catalogue import ATTRIBUTE_KINDS
from modules.finance.models.product import KINDS
from modules.finance.models.sales_policy import POLICY_KINDS
from modules.finance.rules import PERCENT_HELP, money_rule, quantity_rule, validity_rule
from modules.finance.services.catalogue import check_product

PRODUCT = Resource(
    name="finance.product", model=Product, label="Product", label_plural="Products",
    columns=("code", "name", "group_id", "kind", "unit", "price", "active"),
    sections=(
        Section("", ("name", "code", "barcode", "group_id", "kind", "unit", "price", "tax_exempt", "active")),
        Section("Commissions", ("marketer_commission", "agency_commission")),
        Section("Variant", ("parent_id",)),
        Section("Description", ("description",)),
    ),
    search=("name", "code", "barcode"),
    sort_key="name",
    filters=("kind", "active", "tax_exempt", "parent_id", "group_id"),
    title_field="name",
    # The catalogue is the whole company's: no own/team/province scope narrows it.
    shared=True,
    validate=check_product,
    fields={
        "name": Field(label="Name"),
        # Codes read left to right and are compared (unique code, imports, variant codes): kind
        # "code" stores them with ASCII digits whatever keyboard typed them («GL-۹» is «GL-9»).
        "code": Field(kind="code", label="Code"),
        "barcode": Field(kind="code", label="Barcode"),
        "kind": Field(label="Goods or service", choices=KINDS),
        "unit": Field(label="Unit"),
        "price": Field(kind="money", label="Base price", validate=money_rule),
        "tax_exempt": Field(label="Exempt from VAT"),
        "parent_id": Field(label="Variant of"),
        "active": Field(label="Active"),
        "description": Field(label="Description"),
        "group_id": Field(label="Product group"),
        "marketer_commission": Field(kind="percent", label="Marketer commission %", help=PERCENT_HELP),
        "agency_commission": Field(kind="percent", label="Agency commission %", help=PERCENT_HELP),
        "variant_key": Field(label="Variant combination", internal=True, readonly=True),
    },
)

PRODUCT_GROUP = Resource(
    name="finance.product_group", model=ProductGroup, label="Product group", label_plural="Product groups",
    columns=("name", "parent_id", "code"), form=("name", "parent_id", "code", "description"),
    search=("name", "code"), sort_key="name", default_sort="name", title_field="name", shared=True,
    global_search=False, filters=("parent_id",),
    fields={"name": Field(label="Name"), "parent_id": Field(label="Parent group"),
            "code": Field(kind="code", label="Code"),
            "description": Field(label="Description")},
)

ATTRIBUTE = Resource(
    name="finance.attribute", model=Attribute, label="Product attribute", label_plural="Product attributes",
    columns=("name", "kind", "sequence"), form=("name", "kind", "sequence"), search=("name",),
    default_sort="sequence", title_field="name", shared=True, global_search=False,
    fields={"name": Field(label="Name"), "kind": Field(label="Kind of attribute", choices=ATTRIBUTE_KINDS),
            "sequence": Field(label="Order in variant names")},
)

ATTRIBUTE_VALUE = Resource(
    name="finance.attribute_value", model=AttributeValue, label="Attribute value", label_plural="Attribute values",
    columns=("attribute_id", "name", "code", "sequence"), form=("attribute_id", "name", "code", "sequence"),
    search=("name", "code"), filters=("attribute_id",), default_sort="sequence", title_field="name", shared=True,
    global_search=False,
    fields={"attribute_id": Field(label="Attribute"), "name": Field(label="Value"),
            "code": Field(kind="code", label="Code in variant codes"), "sequence": Field(label="Order")},
)


def _price_list_rules(values: Mapping[str, Any], **kw: Any) -> dict[str, InputError]:
    errors = validity_rule(values)
    if sum(values.get(n) is not None for n in ("partner_id", "group_id", "role_id")) > 1:
        errors["partner_id"] = InputError("A price list is for one partner, one group or one role: choose one")
    return errors


PRICE_LIST = Resource(
    name="finance.price_list", model=PriceList, label="Price list", label_plural="Price lists",
    columns=("name", "valid_from", "valid_to", "partner_id", "group_id", "role_id", "active"),
    sections=(
        Section("", ("name", "valid_from", "valid_to", "active")),
        Section("For whom (leave all empty for everyone)", ("partner_id", "group_id", "role_id")),
        Section("Notes", ("notes",)),
    ),
    search=("name",), filters=("active", "valid_from", "partner_id", "group_id", "role_id"),
    default_sort="-valid_from", title_field="name", shared=True, validate=_price_list_rules,
    fields={
        "name": Field(label="Name"), "valid_from": Field(label="Valid from", help="Jalali date, e.g. 1405/01/01"),
        "valid_to": Field(label="Valid to", help="Empty: no end"), "partner_id": Field(label="For partner"),
        "group_id": Field(label="For partner group (with its subgroups)"), "role_id": Field(label="For partners with role"),
        "active": Field(label="Active"), "notes": Field(label="Notes"),
    },
)

PRICE_LIST_ITEM = Resource(
    name="finance.price_list_item", model=PriceListItem, label="Price list item", label_plural="Price list items",
    columns=("price_list_id", "product_id", "price"), form=("price_list_id", "product_id", "price"),
    filters=("price_list_id", "product_id"), default_sort="price_list_id", title_field="product_id", shared=True,
    global_search=False,
    fields={"price_list_id": Field(label="Price list"), "product_id": Field(label="Product"),
            "price": Field(kind="money", label="Unit price", validate=money_rule)},
)


def _tier_rules(values: Mapping[str, Any], **_: Any) -> dict[str, InputError]:
    if (values.get("item_id") is None) == (values.get("product_id") is None):
        return {"item_id": InputError("Choose either a price list item or a product")}
    return {}


PRICE_TIER = Resource(
    name="finance.price_tier", model=PriceTier, label="Quantity tier", label_plural="Quantity tiers",
    columns=("item_id", "product_id", "above_quantity", "unit_price"),
    form=("item_id", "product_id", "above_quantity", "unit_price"),
    filters=("item_id", "product_id"), default_sort="above_quantity", title_field="above_quantity", shared=True,
    global_search=False, validate=_tier_rules,
    fields={"item_id": Field(label="Price list item"), "product_id": Field(label="Product (at its base price)"),
            "above_quantity": Field(kind="decimal", label="More than (units)", validate=quantity_rule),
            "unit_price": Field(kind="money", label="Unit price", validate=money_rule)},
)

COMPETITOR_PRICE = Resource(
    name="finance.competitor_price", model=CompetitorPrice, label="Competitor price",
    label_plural="Competitor prices",
    columns=("product_id", "competitor_id", "competitor_product", "price", "observed_on"),
    form=("product_id", "competitor_id", "competitor_product", "price", "observed_on", "notes"),
    search=("competitor_product",), filters=("product_id", "competitor_id", "observed_on"),
    default_sort="-observed_on", title_field="competitor_product", shared=True,
    fields={"product_id": Field(label="Our product"),
            "competitor_id": Field(label="Competitor", ref_filter={"role": "competitor"}),
            "competitor_product": Field(label="Competitor's product"),
            "price": Field(kind="money", label="Competitor's price", validate=money_rule),
            "observed_on": Field(label="Observed on"), "notes": Field(label="Notes")},
)

def _policy_rules(values: Mapping[str, Any], **_: Any) -> dict[str, InputError]:
    errors = validity_rule(values)
    if values.get("kind") == "percent" and values.get("percent") is None:
        errors["percent"] = InputError("Enter the discount percentage")
    if values.get("kind") == "amount" and values.get("amount") is None:
        errors["amount"] = InputError("Enter the discount amount")
    return errors


SALES_POLICY = Resource(
    name="finance.sales_policy", model=SalesPolicy, label="Sales policy", label_plural="Sales policies",
    columns=("name", "kind", "percent", "amount", "valid_from", "valid_to", "active"),
    sections=(
        Section("", ("name", "kind", "active")),
        Section("Discount", ("percent", "amount")),
        Section("Period", ("valid_from", "valid_to")),
        Section("For whom and what (leave empty for all)", ("partner_id", "group_id", "product_id",
                                                             "product_group_id")),
        Section("Loyal customers", ("min_invoices", "min_invoice_total")),
        Section("Notes", ("notes",)),
    ),
    search=("name",), filters=("kind", "active", "partner_id", "product_id"), default_sort="-id",
    title_field="name", shared=True, validate=_policy_rules,
    fields={
        "name": Field(label="Name"), "kind": Field(label="Kind of discount", choices=POLICY_KINDS),
        "percent": Field(kind="percent", label="Discount %", help=PERCENT_HELP),
        "amount": Field(kind="money", label="Discount on each unit", validate=money_rule),
        "valid_from": Field(label="Valid from"), "valid_to": Field(label="Valid to"),
        "partner_id": Field(label="For customer"), "group_id": Field(label="For partner group (with its subgroups)"),
        "product_id": Field(label="For product"), "product_group_id": Field(label="For product group"),
        "min_invoices": Field(label="At least this many earlier invoices"),
        "min_invoice_total": Field(kind="money", label="Earlier invoices totalling at least", validate=money_rule),
        "active": Field(label="Active"), "notes": Field(label="Notes"),
    },
)

POLICY_STEP = Resource(
    name="finance.policy_step", model=PolicyStep, label="Discount step", label_plural="Discount steps",
    columns=("policy_id", "above_quantity", "percent"), form=("policy_id", "above_quantity", "percent"),
    filters=("policy_id",), default_sort="above_quantity", title_field="above_quantity", shared=True,
    global_search=False,
    fields={"policy_id": Field(label="Sales policy"),
            "above_quantity": Field(kind="decimal", label="More than (units)", validate=quantity_rule),
            "percent": Field(kind="percent", label="Discount %", help=PERCENT_HELP)},
)

CATALOGUE = (PRODUCT, PRODUCT_GROUP, ATTRIBUTE, ATTRIBUTE_VALUE, PRICE_LIST, PRICE_LIST_ITEM, PRICE_TIER,
             COMPETITOR_PRICE, SALES_POLICY, POLICY_STEP)


def catalogue_resources() -> list[Resource]:
    """Fresh copies for each Kernel: binding fills per-kernel state into a Resource."""
    return [dataclasses.replace(r) for r in CATALOGUE]
