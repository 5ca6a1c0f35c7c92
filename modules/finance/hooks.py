"""Hooks of the finance module: resources, menu, permissions and pages."""

from __future__ import annotations

from typing import Any

from kernel import MenuItem, Permission, Resource, hookimpl


@hookimpl
def register_resources() -> list[Resource]:
    from modules.finance.resources import resources

    return resources()


@hookimpl
def register_permissions() -> list[Permission]:
    # -- catalogue (FIN-01 … FIN-03) --
    from modules.finance.importers import PRODUCT_IMPORT

    return [
        Permission(PRODUCT_IMPORT, "Import products from Excel or CSV"),
    ]


@hookimpl
def register_menu_items() -> list[MenuItem]:
    return [
        MenuItem("finance.menu", "Finance", "", permission="finance.product.view", sequence=30, icon="wallet"),
        MenuItem("finance.products", "Products and services", "/finance/product/", "finance.product.view",
                 parent="finance.menu", sequence=10),
        # -- catalogue (FIN-01 … FIN-03) --
        MenuItem("finance.product_groups", "Product groups", "/finance/product_group/", "finance.product_group.view",
                 parent="finance.menu", sequence=11),
        MenuItem("finance.attributes", "Product attributes", "/finance/attribute/", "finance.attribute.view",
                 parent="finance.menu", sequence=12),
        MenuItem("finance.attribute_values", "Attribute values", "/finance/attribute_value/",
                 "finance.attribute_value.view", parent="finance.menu", sequence=13),
        MenuItem("finance.price_lists", "Price lists", "/finance/price_list/", "finance.price_list.view",
                 parent="finance.menu", sequence=14),
        MenuItem("finance.price_list_items", "Price list items", "/finance/price_list_item/",
                 "finance.price_list_item.view", parent="finance.menu", sequence=15),
        MenuItem("finance.price_tiers", "Quantity tiers", "/finance/price_tier/", "finance.price_tier.view",
                 parent="finance.menu", sequence=16),
        MenuItem("finance.competitor_prices", "Competitor prices", "/finance/competitor_price/",
                 "finance.competitor_price.view", parent="finance.menu", sequence=17),
        MenuItem("finance.compare", "Our prices and competitors'", "/finance/competitors/compare",
                 "finance.competitor_price.view", parent="finance.menu", sequence=18),
        MenuItem("finance.sales_policies", "Sales policies", "/finance/sales_policy/", "finance.sales_policy.view",
                 parent="finance.menu", sequence=19),
        MenuItem("finance.import_products", "Import products", "/finance/import/product/", "finance.product.import",
                 parent="finance.menu", sequence=20),
    ]


# -- catalogue (FIN-01 … FIN-03) -----------------------------------------------------------------
@hookimpl
def register_routes() -> list[Any]:
    from modules.finance.routes import all_routes

    return all_routes()


@hookimpl
def register_record_actions() -> list[Any]:
    from kernel import RecordAction

    return [RecordAction("finance.variants", "Variants", "/finance/product/{id}/variants",
                         permission="finance.product.view", resources=("finance.product",))]


@hookimpl
def template_slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    from modules.finance import slots

    return slots.render(slot, context, request)


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    from modules.finance.models.scaled import plain
    from modules.finance.services.labels import localise

    # A quantity as people write it, in the page's language: ۱۰, ۲٫۵.
    env.filters["finance_plain"] = lambda value, lang="fa": localise(plain(value), lang)
