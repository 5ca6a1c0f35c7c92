"""Weighted-average cost (FIN-14, FAQ 4): the worked example of the docs, exact reversal of a
voided purchase by replaying the product's moves, the cost each invoice line keeps, and the
incremental average always equal to the replayed one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from modules.finance.models import InvoiceLine
from modules.finance.services import average_cost, purchases
from modules.finance.services.average_cost import step
from modules.finance.services.issuing import void_invoice
from modules.finance.tests.purchase_helpers import buy, cost_of, purchase_world, sell

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _line_costs(kernel: Any, invoice_id: int) -> list[int | None]:
    with kernel.sessions() as s:
        return list(s.scalars(select(InvoiceLine.cost).where(InvoiceLine.invoice_id == invoice_id)
                              .order_by(InvoiceLine.id)))


def test_the_step_rounds_half_up_and_ignores_stock_sold_before_it_was_bought() -> None:
    assert step(Decimal(6), 1000, Decimal(10), 13_000) == (Decimal(16), 1188)  # 1,187.5 → 1,188
    assert step(Decimal(0), 0, Decimal(3), 1_000) == (Decimal(3), 333)  # 333.33 → 333
    assert step(Decimal(-2), 900, Decimal(5), 5_000) == (Decimal(3), 1000)  # 2 sold short: none on hand
    assert step(Decimal(5), 1000, Decimal(-4), 0) == (Decimal(1), 1000)  # a sale leaves the average


def test_worked_example_buy_sell_buy_then_void_the_second_purchase(kernel: Any) -> None:
    w = purchase_world(kernel)
    carpet = w["carpet"]
    never = sell(kernel, w, [(w["rug"], "1", 5_000)])  # the rug was never bought: its cost is unknown
    assert _line_costs(kernel, never) == [None]
    buy(kernel, w, [(carpet, "10", 1_000)])
    assert cost_of(kernel, carpet) == (Decimal(10), 1000, True)
    first_sale = sell(kernel, w, [(carpet, "4", 2_000)])
    assert _line_costs(kernel, first_sale) == [1000]
    assert cost_of(kernel, carpet) == (Decimal(6), 1000, True)
    second = buy(kernel, w, [(carpet, "10", 1_300)])
    # (6 × 1,000 + 10 × 1,300) / 16 = 1,187.5 → 1,188 Rials (half up)
    assert cost_of(kernel, carpet) == (Decimal(16), 1188, True)
    later_sale = sell(kernel, w, [(carpet, "1", 2_000)])
    assert _line_costs(kernel, later_sale) == [1188]
    with kernel.session(w["actor"]) as s:
        purchases.void(kernel, s, w["actor"], second, "فاکتور اشتباه ثبت شده")
    # Back to the first purchase less what was sold (4 and 1): 5 on hand at exactly 1,000.
    assert cost_of(kernel, carpet) == (Decimal(5), 1000, True)
    assert _line_costs(kernel, later_sale) == [1188]  # a sale keeps the cost it was made at
    with kernel.session(w["actor"]) as s:
        void_invoice(kernel, s, w["actor"], later_sale, "مشتری پس داد")
    assert cost_of(kernel, carpet) == (Decimal(6), 1000, True)


def test_a_discounted_purchase_line_costs_its_net_and_vat_is_not_a_cost(kernel: Any) -> None:
    w = purchase_world(kernel)
    actor = w["actor"]
    with kernel.session(actor) as s:
        doc = purchases.create_purchase(kernel, s, actor, {"partner_id": w["supplier"], "date": purchases_day()},
                                        [{"product_id": w["carpet"], "quantity": "۳", "unit_cost": "۱٬۰۰۰",
                                          "discount_kind": "percent", "discount_value": "۱۰"}])
        purchases.post(kernel, s, actor, doc.id)
        assert (doc.net_amount, doc.vat_amount, doc.grand_total) == (2_700, 270, 2_970)  # VAT 10 % in 1405
    assert cost_of(kernel, w["carpet"]) == (Decimal(3), 900, True)


def purchases_day() -> Any:
    from modules.finance.tests.purchase_helpers import DAY

    return DAY


def test_kept_average_always_equals_the_replayed_one(kernel: Any) -> None:
    w = purchase_world(kernel)
    carpet = w["carpet"]
    kept = []
    for qty, unit in (("3", 1_000), ("7", 1_111), ("2.5", 999), ("1", 5_000)):
        buy(kernel, w, [(carpet, qty, unit)])
        sell(kernel, w, [(carpet, "1.5", 2_000)])
        kept.append(cost_of(kernel, carpet))
    with kernel.session(w["actor"]) as s:
        row = average_cost.replay(s, carpet)
        assert (Decimal(row.on_hand), row.avg_cost) == kept[-1][:2]
