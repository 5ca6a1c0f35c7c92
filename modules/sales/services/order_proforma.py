"""From an approved sales order to finance's documents: the proforma made and issued with the
order's lines (finance's ``create_document`` and ``issue_proforma``: its rules, numbers and
events), and the order learning its invoice when finance converts that proforma."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from kernel import Conflict
from kernel.timezone import local_today
from modules.sales.events import SalesOrderProformaMade
from modules.sales.models import SalesOrder
from modules.sales.services.orders import lines_of, load


def make_proforma(kernel: Any, session: Session, actor: Any, order_id: int, on: dt.date | None = None) -> Any:
    """The order's one proforma, issued, dated today (or ``on``). The prices and discounts are
    the approved ones; finance refuses a price that differs from its rules today to a user
    without ``finance.price.override`` — the order then waits for one who has it."""
    from modules.finance.services.documents import PROFORMA
    from modules.finance.services.drafts import create_document
    from modules.finance.services.issuing import issue_proforma

    order = load(kernel, session, actor, order_id)
    if order.state != "approved":
        raise Conflict("Only an approved sales order makes a proforma")
    if order.proforma_id is not None:
        raise Conflict("This sales order already has its proforma")
    lines = [{"product_id": li.product_id, "quantity": li.quantity, "unit_price": li.unit_price,
              "discount_kind": "percent", "discount_value": li.discount_percent} for li in lines_of(session, order.id)]
    header = {"partner_id": order.partner_id, "date": on or local_today(kernel.config.timezone),
              "title": kernel.t("fa", "Sales order {number}", number=order.number or "")}
    pf = create_document(kernel, session, actor, PROFORMA, header, lines)
    # Finance's user may not edit sales orders: the link is the system's, not a form's edit.
    order.proforma_id = pf.id
    session.flush()
    # Before the issue: what the order holds passes to the proforma first, so a proforma that
    # reserves on issue (inventory's setting) finds its units held and reserves nothing more.
    kernel.emit(SalesOrderProformaMade(order.id, pf.id), session)
    return issue_proforma(kernel, session, actor, pf.id)


def on_proforma_converted(session: Session, proforma_id: int, invoice_id: int) -> None:
    """``ProformaConverted``: the order made from that proforma now names its invoice."""
    session.execute(update(SalesOrder).where(SalesOrder.proforma_id == proforma_id)
                    .values(invoice_id=invoice_id).execution_options(synchronize_session="fetch"))

