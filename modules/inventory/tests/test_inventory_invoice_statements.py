"""An invoice's issue reads its lines' facts once for all lines (issue 15: a 10-line invoice with
its stock check in 80 ms at 5,000,000 movements, docs/PERFORMANCE.md). Each line more costs only
the stock primitives' own statements (the level row made if missing, the conditional take) and,
on SQLite, the inserts the ORM makes one by one to learn their ids — not the dozen reads per line
it took before. The ten products all leave the warehouse, and a serial named on the invoice leaves
with its unit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from kernel.actor import SYSTEM
from modules.finance.models import Product
from modules.inventory.models import InventoryItem, Serial
from modules.inventory.tests.policy_helpers import (
    ENGINES,
    draft_invoice,
    inventory_kernel,
    issue,
    on_hand,
    receive,
    shop,
)

PER_LINE = {"sqlite": 4, "postgresql": 2}  # ensure + take, and on SQLite the line's and card row's INSERT


def _statements(k: Any, w: dict[str, Any], invoice_id: int) -> int:
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *a: Any) -> None:
        seen.append(statement)

    from sqlalchemy import event

    event.listen(k.engine, "before_cursor_execute", count)
    try:
        issue(k, w, invoice_id)
    finally:
        event.remove(k.engine, "before_cursor_execute", count)
    return len(seen)


@pytest.mark.parametrize("engine", ENGINES)
def test_each_more_line_of_an_invoice_costs_only_its_stock_statements(make_kernel: Any, engine: str) -> None:
    k = inventory_kernel(make_kernel, engine)
    w = shop(k)
    with k.session() as s:
        goods = [Product(name=f"پارچه طرح {i}", code=f"C{i}", kind="goods", price=100_000) for i in range(11)]
        s.add_all(goods)
        s.flush()
        ids = [int(p.id) for p in goods]
        s.add(InventoryItem(product_id=ids[0], tracks_serials=True))
    from modules.inventory.services import drafts, posting

    with k.session(SYSTEM) as s:  # two serial-numbered units of the first product
        doc = drafts.new_document(k, s, SYSTEM, "receipt")
        drafts.add_line(k, s, SYSTEM, doc.id, product_id=ids[0], serials=["SN-1", "SN-2"], unit_cost=1000)
        posting.post(k, s, SYSTEM, doc.id)
    for pid in ids[1:]:
        receive(k, pid, "5")
    one = draft_invoice(k, w, [{"product_id": ids[10], "quantity": "1"}])
    ten = draft_invoice(k, w, [{"product_id": ids[0], "quantity": "1", "serial_number": "SN-2"},
                               *({"product_id": pid, "quantity": "2"} for pid in ids[1:10])])
    n_one, n_ten = _statements(k, w, one), _statements(k, w, ten)
    assert n_ten - n_one <= 9 * PER_LINE[engine], (n_one, n_ten)
    assert on_hand(k, ids[0]) == (Decimal(1), 0)
    assert all(on_hand(k, pid) == (Decimal(3), 0) for pid in ids[1:10]) and on_hand(k, ids[10]) == (Decimal(4), 0)
    with k.sessions() as s:  # the serial the invoice named left; the other is still in the warehouse
        left = {sn: wh for sn, wh in s.execute(select(Serial.serial, Serial.warehouse_id).where(
            Serial.product_id == ids[0]))}
    assert left["SN-2"] is None and left["SN-1"] is not None
