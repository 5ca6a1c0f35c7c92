"""An issued invoice's lines edited (FAQ 44) move the stock and the cost as issuing the edited
invoice would (FIN-14): its moves and its lines' ``cost`` follow a new quantity, a new product, a
line added or removed, in the edit's own transaction; the profit report follows. A posted
purchase is not edited at all: the refusal leaves its moves as they are. On both engines.

The carpet is bought 10 at 1,000 (the story's day 1), 4 are sold (cost 1,000; 6 left), then 10
more are bought at 1,300: (6 × 1,000 + 13,000) / 16 = 1,187.5 → 1,188. The sale edited to 2
carpets is, for the stock, a sale of 2 issued now: replayed without it the carpet stands at
(10 × 1,000 + 13,000) / 20 = 1,150, so the 2 go out at 1,150 and 18 are left.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, select

from kernel import Conflict
from kernel.records import FormErrors, update_record
from modules.finance.models import InvoiceLine, StockMove
from modules.finance.report_profit import profit_per_product
from modules.finance.services import purchases, receipts
from modules.finance.services.drafts import LineChange, save_lines
from modules.finance.tests.finance_helpers import INVOICE, jdate
from modules.finance.tests.purchase_helpers import buy, cost_of, purchase_world, sell

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _lines(kernel: Any, invoice_id: int) -> list[tuple[int, int, Decimal, int | None]]:
    """(line id, product, quantity, cost) of the invoice's lines, in order."""
    with kernel.sessions() as s:
        return [(li.id, li.product_id, Decimal(li.quantity), li.cost) for li in s.scalars(
            select(InvoiceLine).where(InvoiceLine.invoice_id == invoice_id).order_by(InvoiceLine.id))]


def _moves(kernel: Any, invoice_id: int) -> set[tuple[int, int, Decimal]]:
    """The invoice's moves that count: (line, product, quantity)."""
    with kernel.sessions() as s:
        return {(m.line_id, m.product_id, Decimal(m.quantity)) for m in s.scalars(select(StockMove).where(
            StockMove.source == "sale", StockMove.source_id == invoice_id, StockMove.cancelled.is_(False)))}


def _move_ids(kernel: Any, invoice_id: int) -> list[int]:
    with kernel.sessions() as s:
        return list(s.scalars(select(StockMove.id).where(StockMove.source == "sale", StockMove.source_id == invoice_id)
                              .order_by(StockMove.id)))


def _edit(kernel: Any, w: dict[str, Any], invoice_id: int, *changes: LineChange) -> None:
    with kernel.session(w["actor"]) as s:
        save_lines(kernel, s, w["actor"], INVOICE, invoice_id, list(changes))


def _story(kernel: Any) -> tuple[dict[str, Any], int]:
    w = purchase_world(kernel)
    buy(kernel, w, [(w["carpet"], "10", 1_000)], on=jdate(1405, 2, 1))
    sale = sell(kernel, w, [(w["carpet"], "4", 2_000)], on=jdate(1405, 2, 2))
    buy(kernel, w, [(w["carpet"], "10", 1_300)], on=jdate(1405, 2, 3))
    assert cost_of(kernel, w["carpet"]) == (Decimal(16), 1188, True)
    return w, sale


def test_a_new_quantity_moves_the_stock_the_cost_and_the_profit(kernel: Any) -> None:
    w, sale = _story(kernel)
    (line, carpet, _q, cost), = _lines(kernel, sale)
    assert cost == 1000
    _edit(kernel, w, sale, LineChange("", {"quantity": "۲"}, line))
    assert cost_of(kernel, carpet) == (Decimal(18), 1150, True)
    assert _lines(kernel, sale) == [(line, carpet, Decimal(2), 1150)]
    assert _moves(kernel, sale) == {(line, carpet, Decimal(-2))}
    with kernel.sessions() as s:
        _h, rows = profit_per_product(s, w["actor"], {"from": "1405/02/01", "to": "1405/02/31"}, kernel, "fa")
    assert rows[0][2:7] == [2, 4_000, 2_300, 1_700, Decimal("42.5")]


def test_a_new_product_a_line_added_and_one_removed(kernel: Any) -> None:
    w = purchase_world(kernel)
    carpet, rug = w["carpet"], w["rug"]
    buy(kernel, w, [(carpet, "10", 1_000), (rug, "5", 500)])
    sale = sell(kernel, w, [(carpet, "4", 2_000), (rug, "1", 5_000)])
    (first, *_), (second, *_) = _lines(kernel, sale)
    assert (cost_of(kernel, carpet), cost_of(kernel, rug)) == ((Decimal(6), 1000, True), (Decimal(4), 500, True))
    _edit(kernel, w, sale, LineChange("a", {"product_id": rug, "quantity": "2"}, first),
          LineChange("b", {}, second, delete=True),
          LineChange("c", {"product_id": carpet, "quantity": "3"}))
    (kept, *_), (added, *_) = now = _lines(kernel, sale)
    assert kept == first and added not in (first, second)
    assert now == [(first, rug, Decimal(2), 500), (added, carpet, Decimal(3), 1000)]
    assert _moves(kernel, sale) == {(first, rug, Decimal(-2)), (added, carpet, Decimal(-3))}
    assert (cost_of(kernel, carpet), cost_of(kernel, rug)) == ((Decimal(7), 1000, True), (Decimal(3), 500, True))
    _edit(kernel, w, sale, LineChange("", {}, added, delete=True))  # the carpets all back in stock
    assert cost_of(kernel, carpet) == (Decimal(10), 1000, True)
    assert _moves(kernel, sale) == {(first, rug, Decimal(-2))}


def test_the_moves_are_written_in_the_edits_transaction(kernel: Any) -> None:
    w, sale = _story(kernel)
    (line, carpet, _q, _c), = _lines(kernel, sale)
    with pytest.raises(RuntimeError), kernel.session(w["actor"]) as s:
        save_lines(kernel, s, w["actor"], INVOICE, sale, [LineChange("", {"quantity": "2"}, line)])
        moved = s.scalars(select(StockMove.quantity).where(StockMove.source == "sale", StockMove.source_id == sale,
                                                           StockMove.cancelled.is_(False))).all()
        assert [Decimal(q) for q in moved] == [Decimal(-2)]
        raise RuntimeError("the edit fails after its lines were written")
    assert cost_of(kernel, carpet) == (Decimal(16), 1188, True)
    assert _lines(kernel, sale) == [(line, carpet, Decimal(4), 1000)]
    assert _moves(kernel, sale) == {(line, carpet, Decimal(-4))}


def test_a_price_a_discount_or_a_receipt_moves_no_stock(kernel: Any) -> None:
    w, sale = _story(kernel)
    (line, carpet, _q, _c), = _lines(kernel, sale)
    before = _move_ids(kernel, sale)
    _edit(kernel, w, sale, LineChange("", {"unit_price": "2500", "discount_kind": "percent", "discount_value": "5"},
                                      line))
    with kernel.session(w["actor"]) as s:
        receipts.receive_cash(kernel, s, w["actor"], sale, 1_000, jdate(1405, 2, 5))
    assert _move_ids(kernel, sale) == before
    assert _lines(kernel, sale)[0][3] == 1000  # the cost it was sold at
    assert cost_of(kernel, carpet) == (Decimal(16), 1188, True)


def test_an_invoice_issued_before_average_cost_stays_out_of_the_stock(kernel: Any) -> None:
    """Revision c4e8a1f2d9b3 wrote no moves for the invoices already issued: editing one later
    must not take its whole quantity out of today's stock."""
    w, sale = _story(kernel)
    (line, carpet, _q, _c), = _lines(kernel, sale)
    with kernel.session() as s:
        s.execute(delete(StockMove).where(StockMove.source == "sale", StockMove.source_id == sale))
    with kernel.session() as s:
        from modules.finance.services import average_cost

        average_cost.replay(s, carpet)
    assert cost_of(kernel, carpet) == (Decimal(20), 1150, True)
    _edit(kernel, w, sale, LineChange("", {"quantity": "3"}, line))
    assert _moves(kernel, sale) == set()
    assert cost_of(kernel, carpet) == (Decimal(20), 1150, True)


def test_a_posted_purchase_is_not_edited_and_its_moves_stay(kernel: Any) -> None:
    """Purchases have no FAQ 44: once posted, a purchase changes only by its payments (or is
    voided, which puts its costs back exactly). Lines and header are refused, nothing moves."""
    w = purchase_world(kernel)
    doc = buy(kernel, w, [(w["carpet"], "10", 1_000)])
    with kernel.sessions() as s:
        line = s.scalar(select(StockMove.line_id).where(StockMove.source == "purchase", StockMove.source_id == doc))
    with pytest.raises(Conflict), kernel.session(w["actor"]) as s:
        purchases.add_lines(kernel, s, w["actor"], doc, [{"product_id": w["carpet"], "quantity": "5",
                                                          "unit_cost": "900"}])
    with pytest.raises(Conflict), kernel.session(w["actor"]) as s:
        purchases.remove_line(kernel, s, w["actor"], doc, line)
    with pytest.raises(FormErrors) as refused, kernel.session(w["actor"]) as s:
        update_record(kernel, s, w["actor"], kernel.resources["finance.purchase"], doc,
                      {"partner_id": w["supplier"], "date": jdate(1405, 2, 5), "supplier_number": "F-13"})
    assert "__all__" in refused.value.errors
    assert cost_of(kernel, w["carpet"]) == (Decimal(10), 1000, True)
