"""Shared set-up of the sales order tests: products, a finance clerk, an order written by Sara."""

from __future__ import annotations

from typing import Any

from kernel.testing import actor_of, create_record, create_user

CLERK = ("finance.proforma.*", "finance.invoice.*", "finance.receipt.*", "finance.product.view",
         "base.partner.view", "sales.order.view", "sales.opportunity.view")


def products(kernel: Any) -> dict[str, int]:
    return {"carpet": create_record(kernel, None, "finance.product", name="فرش ۷۰۰ شانه", kind="goods",
                                    code="C700", price=12_500_000),
            "cushion": create_record(kernel, None, "finance.product", name="کوسن", kind="goods", price=800_000)}


def clerk(kernel: Any) -> int:
    """Finance's clerk: makes proformas and invoices, sees every order."""
    return create_user(kernel, "nima", perms=CLERK, scope="all")


def run(kernel: Any, user_id: int, fn: Any, *args: Any, **kw: Any) -> Any:
    """A service as the user, in one transaction (what a route does)."""
    actor = actor_of(kernel, user_id)
    with kernel.session(actor) as s:
        out = fn(kernel, s, actor, *args, **kw)
        s.flush()
        return out


def order_row(kernel: Any, order_id: int) -> Any:
    from modules.sales.models import SalesOrder

    with kernel.sessions() as s:
        return s.get(SalesOrder, order_id)
