"""Inventory's own permissions beyond its resources' view/create/edit/delete."""

from __future__ import annotations

from kernel import Permission

POST = "inventory.document.post"
VOID = "inventory.document.void"
ITEM_EDIT = "inventory.item.edit"
STOCK_VIEW = "inventory.stock.view"


def permissions() -> list[Permission]:
    return [Permission(POST, "Post stock documents"),
            Permission(VOID, "Void posted stock documents"),
            Permission(ITEM_EDIT, "Set a product's serial tracking and reorder level"),
            Permission(STOCK_VIEW, "See stock levels and stock cards")]
