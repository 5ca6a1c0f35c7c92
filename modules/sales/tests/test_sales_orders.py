"""SAL-03: the sales order — lines priced by finance for the customer, submitted, returned with
a note and approved by another manager — gates the board's stage that needs approval, and makes
the proforma whose invoice it then names; bad input is refused in Persian with nothing changed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from kernel import Conflict, InputError, PermissionDenied
from kernel.actor import SYSTEM
from kernel.testing import create_record
from modules.sales.tests.order_helpers import clerk, order_row, products, run
from modules.sales.tests.sales_helpers import (
    ENGINES,
    deal,
    opportunity,
    partner,
    people,
    sales_kernel,
    stages,
)


@pytest.mark.parametrize("engine", ENGINES)
def test_an_order_approved_by_another_manager_opens_negotiation_and_becomes_proforma_and_invoice(
        make_kernel: Any, engine: str) -> None:
    from kernel.records import delete_record
    from modules.finance.models import Proforma, ProformaLine
    from modules.finance.services.issuing import convert
    from modules.sales.services import order_proforma, orders
    from modules.sales.services.moves import move

    k = sales_kernel(make_kernel, engine)
    u = people(k)
    goods = products(k)
    nima = clerk(k)
    st = stages(k)
    customer = partner(k, u["sara"])
    opp = deal(k, u["sara"], "۲۰ تخته فرش برای هتل", customer, 850_000_000)
    run(k, u["sara"], move, opp, st["سفارش فروش"].id)
    with pytest.raises(InputError, match="approval of the sales order"):
        run(k, u["sara"], move, opp, st["مذاکره"].id)
    assert opportunity(k, opp).stage_id == st["سفارش فروش"].id

    so = create_record(k, u["sara"], "sales.order", opportunity_id=opp)
    assert order_row(k, so).partner_id == customer  # the deal's customer
    with pytest.raises(Conflict, match="without lines"):
        run(k, u["sara"], orders.submit, so)
    for bad in ({"quantity": "صفر"}, {"quantity": "0"}, {"quantity": "۲", "discount": "۱۲۰"},
                {"quantity": "۱٫۲۳۴۵"}):
        with pytest.raises(InputError):
            run(k, u["sara"], orders.add_line, so, goods["carpet"], bad["quantity"], bad.get("discount", ""))
    with pytest.raises(InputError, match="Choose a product"):
        run(k, u["sara"], orders.add_line, so, "", "۲")
    run(k, u["sara"], orders.add_line, so, goods["carpet"], "۲۰", "۱۰")  # Persian digits
    cushion = run(k, u["sara"], orders.add_line, so, str(goods["cushion"]), "4").id
    assert order_row(k, so).total == 20 * 12_500_000 * 9 // 10 + 4 * 800_000
    run(k, u["sara"], orders.remove_line, so, cushion)
    assert order_row(k, so).total == 225_000_000
    submitted = run(k, u["sara"], orders.submit, so)
    assert submitted.number.startswith("SO-") and submitted.state == "submitted"
    with pytest.raises(Conflict, match="draft or returned"):  # sent: its lines wait for the manager
        run(k, u["sara"], orders.add_line, so, goods["cushion"], "1")
    with pytest.raises(PermissionDenied):
        run(k, u["sara"], orders.approve, so)
    with pytest.raises(InputError, match="Write what should change"):
        run(k, u["maryam"], orders.send_back, so, "  ")
    run(k, u["maryam"], orders.send_back, so, "تخفیف بیش از ۸٪ مجاز نیست")
    back = order_row(k, so)
    assert (back.state, back.return_note) == ("returned", "تخفیف بیش از ۸٪ مجاز نیست")
    with pytest.raises(InputError, match="approval of the sales order"):
        run(k, u["sara"], move, opp, st["مذاکره"].id)
    with k.sessions() as s:
        line = orders.lines_of(s, so)[0].id
    run(k, u["sara"], orders.remove_line, so, line)
    run(k, u["sara"], orders.add_line, so, goods["carpet"], "20", "8")
    again = run(k, u["sara"], orders.submit, so)
    assert again.number == submitted.number  # a returned order keeps its number
    approved = run(k, u["maryam"], orders.approve, so)
    assert (approved.state, approved.approved_by_id) == ("approved", u["maryam"])
    moved = run(k, u["sara"], move, opp, st["مذاکره"].id)
    assert moved.stage_id == st["مذاکره"].id and opportunity(k, opp).approved_by_id == u["maryam"]

    with pytest.raises(Conflict, match="Cancel the sales order before deleting"), k.session(SYSTEM) as s:
        delete_record(k, s, SYSTEM, k.resources["sales.order"], so)  # it holds a decision: cancel it
    # A manager's own order waits for another manager.
    own = create_record(k, u["maryam"], "sales.order", partner_id=customer)
    run(k, u["maryam"], orders.add_line, own, goods["cushion"], "1")
    run(k, u["maryam"], orders.submit, own)
    with pytest.raises(Conflict, match="Another manager"):
        run(k, u["maryam"], orders.approve, own)

    # Finance makes the proforma from it, with its lines, then the invoice: the order names both.
    pf = run(k, nima, order_proforma.make_proforma, so)
    with k.sessions() as s:
        proforma = s.get(Proforma, pf.id)
        assert proforma.state == "issued" and proforma.partner_id == customer
        copied = s.execute(select(ProformaLine.product_id, ProformaLine.quantity, ProformaLine.unit_price,
                                  ProformaLine.discount_value).where(ProformaLine.proforma_id == pf.id)).all()
    assert copied == [(goods["carpet"], Decimal(20), 12_500_000, Decimal(8))]
    with pytest.raises(Conflict, match="already has its proforma"):
        run(k, nima, order_proforma.make_proforma, so)
    with pytest.raises(Conflict, match="cancel that in finance"):
        run(k, u["sara"], orders.cancel, so)
    invoice = run(k, nima, convert, pf.id)
    done = order_row(k, so)
    assert (done.proforma_id, done.invoice_id) == (pf.id, invoice.id)

    # Cancelling an approved order (no proforma yet) takes back the deal's approval it gave.
    opp2 = deal(k, u["reza"], "فرش لابی", partner(k, u["reza"], "هتل آسمان"))
    so2 = create_record(k, u["reza"], "sales.order", opportunity_id=opp2)
    run(k, u["reza"], orders.add_line, so2, goods["cushion"], "3")
    run(k, u["reza"], orders.submit, so2)
    with pytest.raises(Conflict, match="approved"):  # not yet approved: no proforma
        run(k, nima, order_proforma.make_proforma, so2)
    run(k, u["maryam"], orders.approve, so2)
    assert opportunity(k, opp2).approved_at is not None
    run(k, u["reza"], orders.cancel, so2)
    assert opportunity(k, opp2).approved_at is None and order_row(k, so2).state == "cancelled"
    with pytest.raises(InputError, match="approval of the sales order"):
        run(k, u["reza"], move, opp2, st["مذاکره"].id)
