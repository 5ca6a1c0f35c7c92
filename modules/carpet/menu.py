"""The carpet module's menu, its permissions beyond the resources' own, role templates and the
``{card_code}`` placeholder of SMS texts."""

from __future__ import annotations

from typing import Any

from kernel import MenuItem, Permission, RoleTemplate


def permissions() -> list[Permission]:
    return [Permission("carpet.batch.make", "Make batches of warranty cards for dealers"),
            Permission("carpet.card.void", "Void warranty cards"),
            Permission("carpet.settings.edit", "Change the warranty card settings")]


def menu_items() -> list[MenuItem]:
    return [
        MenuItem("carpet.menu", "Carpets", "", permission="carpet.card.view", sequence=26, icon="list"),
        MenuItem("carpet.cards", "Warranty cards", "/carpet/card/", "carpet.card.view", parent="carpet.menu",
                 sequence=10),
        MenuItem("carpet.designs", "Carpet designs", "/carpet/design/", "carpet.design.view", parent="carpet.menu",
                 sequence=20),
        MenuItem("carpet.dealers", "Dealers", "/carpet/dealer/", "carpet.dealer.view", parent="carpet.menu",
                 sequence=30),
        MenuItem("carpet.batches", "Batches of warranty cards", "/carpet/batch/", "carpet.batch.view",
                 parent="carpet.menu", sequence=40),
        MenuItem("carpet.batch_new", "New batch of warranty cards", "/carpet/batches/new", "carpet.batch.make",
                 parent="carpet.menu", sequence=45),
        MenuItem("carpet.report_dealers", "Dealers' warranty cards", "/reports/carpet.dealers", "carpet.card.view",
                 parent="carpet.menu", sequence=50),
        MenuItem("carpet.report_cards", "Warranty cards by month", "/reports/carpet.cards", "carpet.card.view",
                 parent="carpet.menu", sequence=55),
        MenuItem("carpet.settings", "Warranty card settings", "/carpet/settings", "carpet.settings.edit",
                 parent="carpet.menu", sequence=60),
    ]


SELLER = ("carpet.design.view", "carpet.dealer.view", "carpet.card.view", "carpet.card.print", "carpet.card.export",
          "carpet.batch.view", "carpet.dealers.report", "carpet.cards.report")


def role_templates() -> list[RoleTemplate]:
    return [
        RoleTemplate("carpet.warranty_clerk", "Warranty clerk",
                     (*SELLER, "carpet.batch.make", "carpet.batch.print", "carpet.card.void", "base.partner.view",
                      "finance.invoice.view", "finance.product.view")),
        RoleTemplate("carpet.sales_manager", "Carpet sales manager",
                     (*SELLER, "carpet.design.*", "carpet.dealer.*", "carpet.batch.*", "carpet.batch.make",
                      "carpet.card.*", "carpet.card.void", "carpet.settings.edit", "base.partner.view",
                      "finance.invoice.view", "finance.product.view", "inventory.stock.view")),
    ]


def placeholders() -> list[Any]:
    from modules.carpet.codes import shown
    from modules.carpet.models import WarrantyCard
    from modules.marketing.placeholders import Placeholder

    def code(c: Any) -> str:
        return shown(c.record.code) if isinstance(c.record, WarrantyCard) else ""

    return [Placeholder("card_code", "Warranty card code", code, sequence=90)]
