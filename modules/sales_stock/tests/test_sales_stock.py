"""The bridge in a tier-5 world: an approved sales order reserves its goods in the default
warehouse (a shortage is shown on the order, not refused), the hold passes to the proforma made
from it, a cancelled order gives it back; services hold nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from kernel.testing import create_record
from modules.sales.tests.order_helpers import clerk, products, run
from modules.sales.tests.sales_helpers import ENGINES, partner, people

STOCK = {"edition": "tier2", "modules": ("tasks", "sales", "inventory"),
         "packages": ("modules.sales", "modules.sales_stock")}


def held(kernel: Any, source: str, source_id: int) -> list[tuple[int, Decimal]]:
    from modules.inventory.services import stock

    with kernel.sessions() as s:
        return [(r.product_id, r.quantity) for r in stock.reserved_by(s, source, source_id)]


def level(kernel: Any, product_id: int) -> tuple[Decimal, Decimal]:
    from modules.inventory.services import stock

    with kernel.sessions() as s:
        lv = stock.level_of(s, product_id, int(stock.default_warehouse_id(s) or 0))
        return lv.on_hand, lv.reserved


@pytest.mark.parametrize("engine", ENGINES)
def test_an_approved_order_reserves_its_goods_hands_them_to_its_proforma_and_a_cancel_releases(
        make_kernel: Any, web_client: Any, engine: str) -> None:
    from kernel.persian.numbers import format_code
    from modules.finance.services.issuing import convert
    from modules.inventory.models import StockDocument
    from modules.inventory.policy import PROFORMA_RESERVES
    from modules.inventory.services import stock
    from modules.sales.services import order_proforma, orders

    k = make_kernel(engine=engine, **STOCK)
    assert "sales_stock" in k.module_names  # the bridge comes by itself with sales and inventory
    u = people(k)
    goods = products(k)
    setup = create_record(k, None, "finance.product", name="نصب", kind="service", price=1_500_000)
    nima = clerk(k)
    with k.session() as s:
        stock.put(s, goods["carpet"], int(stock.default_warehouse_id(s) or 0), Decimal(5))
    customer = partner(k, u["sara"])
    so = create_record(k, u["sara"], "sales.order", partner_id=customer)
    run(k, u["sara"], orders.add_line, so, goods["carpet"], "۸")
    run(k, u["sara"], orders.add_line, so, setup, "1")
    run(k, u["sara"], orders.submit, so)
    assert held(k, "sales_order", so) == []  # submitted is not approved
    run(k, u["maryam"], orders.approve, so)  # 8 wanted, 5 on hand: approved all the same
    assert held(k, "sales_order", so) == [(goods["carpet"], Decimal(8))]
    assert level(k, goods["carpet"]) == (Decimal(5), Decimal(8))
    page = web_client(k, "sara").get(f"/sales/order/{so}")
    assert page.status_code == 200
    assert "رزرو در انبار" in page.text and "۳ کسری" in page.text  # the shortage, shown

    with k.session() as s:  # proformas reserve on issue too: the order's units are handed, not doubled
        k.set_setting(s, PROFORMA_RESERVES, True)
    pf = run(k, nima, order_proforma.make_proforma, so)
    assert held(k, "sales_order", so) == [] and held(k, "proforma", pf.id) == [(goods["carpet"], Decimal(8))]
    assert level(k, goods["carpet"]) == (Decimal(5), Decimal(8))  # handed over, not released

    other = create_record(k, u["reza"], "sales.order", partner_id=partner(k, u["reza"], "هتل آسمان"))
    run(k, u["reza"], orders.add_line, other, goods["carpet"], "2")
    run(k, u["reza"], orders.submit, other)
    run(k, u["maryam"], orders.approve, other)
    assert level(k, goods["carpet"]) == (Decimal(5), Decimal(10))
    run(k, u["reza"], orders.cancel, other)
    assert held(k, "sales_order", other) == [] and level(k, goods["carpet"]) == (Decimal(5), Decimal(8))

    # The invoice takes the held units out (inventory's issue of the invoice): the order shows it.
    with k.session() as s:
        stock.put(s, goods["carpet"], int(stock.default_warehouse_id(s) or 0), Decimal(10))
    invoice = run(k, nima, convert, pf.id)
    assert level(k, goods["carpet"]) == (Decimal(7), Decimal(0))
    with k.sessions() as s:
        issue = s.scalars(select(StockDocument).where(StockDocument.source == "invoice",
                                                      StockDocument.source_id == invoice.id)).one()
    page = web_client(k, "sara").get(f"/sales/order/{so}").text
    delivered = page[page.index('data-step="delivered"'):]
    assert format_code(issue.number, "fa") in delivered[:400] and "کسری" not in page
