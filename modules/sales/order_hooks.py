"""What the sales order adds to the sales module's hooks (``hooks.py`` delegates here in one
line each): its permission beyond the resource's, number series, menu entries with the
approver's queue, record actions, role permissions and finance's event it listens to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from kernel import MenuItem, NumberSeries, Permission, RecordAction

SELLER = ("sales.order.view", "sales.order.create", "sales.order.edit", "sales.order.export")
MANAGER = (*SELLER, "sales.order.approve")  # not approve_own: a second pair of eyes


def permissions() -> list[Permission]:
    return [Permission("sales.order.approve_own", "Sales orders: approve one's own")]


def number_series() -> list[NumberSeries]:
    return [NumberSeries("sales.order", "Sales orders", default_prefix="SO-", sequence=40)]


def awaiting_me(session: Any, actor: Any, kernel: Any) -> int:
    """Submitted orders the actor may decide: in their scope, not their own (unless they may)."""
    from modules.sales.models import SalesOrder

    if not actor.can("sales.order.approve"):
        return 0
    q = kernel.scoped_select(actor, SalesOrder).where(SalesOrder.state == "submitted")
    if not actor.can("sales.order.approve_own"):
        q = q.where(SalesOrder.owner_id.is_distinct_from(actor.user_id))
    return int(session.scalar(select(func.count()).select_from(q.limit(1000).subquery())) or 0)


def menu_items() -> list[MenuItem]:
    return [
        MenuItem("sales.orders", "Sales orders", "/sales/order/", "sales.order.view", parent="sales.menu",
                 sequence=25),
        MenuItem("sales.orders_to_approve", "Sales orders awaiting approval", "/sales/order/?f_state=submitted",
                 "sales.order.approve", parent="sales.menu", sequence=26, badge=awaiting_me),
    ]


def record_actions() -> list[RecordAction]:
    return [RecordAction("sales.new_order", "New sales order", "/sales/order/new?opportunity_id={id}",
                         "sales.order.create", resources=("sales.opportunity",))]


def on_event(event: Any, session: Any, kernel: Any) -> None:
    from kernel import Conflict, RecordDeleted
    from modules.finance.events import ProformaConverted

    if isinstance(event, RecordDeleted) and event.resource == "sales.order":
        from modules.sales.models import SalesOrder

        # A submitted or approved order holds a decision (and, with inventory, stock): it ends by
        # its cancel, which tells the others; only a draft, a returned or a cancelled one is deleted.
        order = session.get(SalesOrder, event.record_id)
        if order is not None and order.state in ("submitted", "approved"):
            raise Conflict("Cancel the sales order before deleting it")
    elif isinstance(event, ProformaConverted):
        from modules.sales.services.order_proforma import on_proforma_converted

        on_proforma_converted(session, event.proforma_id, event.invoice_id)
