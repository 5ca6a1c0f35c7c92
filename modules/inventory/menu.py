"""The «انبار» menu and the warehouse keeper's role template."""

from __future__ import annotations

from kernel import MenuItem, RoleTemplate
from modules.inventory.access import ITEM_EDIT, POST, STOCK_VIEW, VOID

DOCS = "inventory.document.view"


def menu_items() -> list[MenuItem]:
    def item(key: str, label: str, url: str, permission: str, sequence: int) -> MenuItem:
        return MenuItem(f"inventory.{key}", label, url, permission, parent="inventory.menu", sequence=sequence)

    return [
        MenuItem("inventory.menu", "Inventory", "", permission=STOCK_VIEW, sequence=32, icon="inbox"),
        item("receipts", "Goods receipts", "/inventory/document/?f_kind=receipt", DOCS, 10),
        item("issues", "Goods issues", "/inventory/document/?f_kind=issue", DOCS, 20),
        item("transfers", "Stock transfers", "/inventory/document/?f_kind=transfer", DOCS, 30),
        item("stock", "Stock by product and warehouse", "/reports/inventory.stock", STOCK_VIEW, 40),
        item("card", "Stock card", "/reports/inventory.stock_card", STOCK_VIEW, 50),
        item("valuation", "Stock valuation", "/reports/inventory.valuation", STOCK_VIEW, 60),
        item("reorder", "Below reorder level", "/reports/inventory.reorder", STOCK_VIEW, 70),
        item("warehouses", "Warehouses", "/inventory/warehouse/", "inventory.warehouse.view", 80),
    ]


def role_templates() -> list[RoleTemplate]:
    reports = tuple(f"inventory.{r}.report" for r in ("stock", "stock_card", "valuation", "reorder"))
    return [RoleTemplate("inventory.keeper", "Warehouse keeper",
                         ("inventory.warehouse.view", "inventory.document.*", POST, VOID, ITEM_EDIT, STOCK_VIEW,
                          "finance.product.view", "base.partner.view", *reports))]
