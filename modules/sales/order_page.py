"""What a sales order's record page shows under its header: the lines (and, while it may be
changed, a line to add), the buttons its state and the user's permissions allow, and the steps
strip — submitted, approved or returned, proforma, invoice, what other modules add through the
slot ``sales.order.steps`` (inventory's reservation and delivery), settled. An opportunity's page
lists its orders."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from sqlalchemy import select

from kernel import Field
from kernel.routing import csrf_token
from kernel.web import refs
from kernel.web.templating import request_lang
from modules.sales.models.order import EDITABLE

PRODUCT = Field(name="product_id", label="Product", kind="ref", ref="finance.product")


def with_orders(slot: str, context: dict[str, Any], request: Any, markup: Markup | None) -> Markup | None:
    """The sales module's slot answer (``markup``), with the order's page or a deal's orders."""
    if slot == "sales.order.detail":
        return _order(context, request)
    if slot == "sales.opportunity.detail" and context.get("record") is not None:
        return Markup("").join(m for m in (markup, _of_opportunity(context["record"], request)) if m)
    return markup


def _env(request: Any, template: str, **ctx: Any) -> Markup:
    from modules.finance.report_sales import quantity

    kernel = request.app.state.kernel
    env = request.app.state.jinja
    return Markup(env.get_template(template).render(
        actor=request.state.actor, lang=request_lang(request), tz=kernel.config.timezone,
        money_unit=request.state.actor.money_unit, csrf=csrf_token(request), qty=quantity, **ctx))


def _order(context: dict[str, Any], request: Any) -> Markup | None:
    from kernel.models import User
    from modules.finance.models import Invoice, Product, Proforma
    from modules.sales.models import SalesOrderLine

    order = context.get("record")
    actor = getattr(request.state, "actor", None)
    if order is None or actor is None:
        return None
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        lines = session.execute(select(SalesOrderLine, Product.name, Product.code)
                                .join(Product, Product.id == SalesOrderLine.product_id)
                                .where(SalesOrderLine.order_id == order.id)
                                .order_by(SalesOrderLine.position, SalesOrderLine.id)).all()
        approver = session.get(User, order.approved_by_id) if order.approved_by_id else None
        pf = session.get(Proforma, order.proforma_id) if order.proforma_id else None
        inv = session.get(Invoice, order.invoice_id) if order.invoice_id else None
        picker = refs.widget(kernel, session, actor, PRODUCT, "") if order.state in EDITABLE else None
    answers = kernel.pm.hook.template_slot(slot="sales.order.steps", context={"order": order}, request=request)
    more = Markup("").join(Markup(a) for a in reversed(answers) if a is not None)
    mine = order.owner_id == actor.user_id
    may_decide = order.state == "submitted" and actor.can("sales.order.approve") and (
        not mine or actor.can("sales.order.approve_own"))
    return _env(request, "sales/order_page.html", order=order, lines=lines, approver=approver, pf=pf, inv=inv,
                more_steps=more, editable=order.state in EDITABLE and actor.can("sales.order.edit"),
                may_decide=may_decide, picker=picker)


def _of_opportunity(opp: Any, request: Any) -> Markup | None:
    from modules.sales.models import SalesOrder

    actor = getattr(request.state, "actor", None)
    if actor is None or not actor.can("sales.order.view"):
        return None
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        found = list(session.scalars(kernel.scoped_select(actor, SalesOrder)
                                     .where(SalesOrder.opportunity_id == opp.id).order_by(SalesOrder.id)))
    return _env(request, "sales/opportunity_orders.html", opp=opp, orders=found)
