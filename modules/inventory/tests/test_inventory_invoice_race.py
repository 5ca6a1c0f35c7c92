"""The last units under concurrency (INV-01 with ``refuse``): many clerks issue invoices of one
carpet each at once, real threads with their own connections and transactions — 50 on
PostgreSQL, 10 on SQLite (writers take turns). Exactly as many invoices as there were units are
issued, numbered gapless from the first; every other one is refused with the Persian message,
stays a draft without a number; the stock ends at zero and no card balance went below it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import select

from kernel import Conflict
from modules.finance.models import Invoice
from modules.inventory.models import StockCardMove
from modules.inventory.services.stock import OutOfStock
from modules.inventory.tests.policy_helpers import (
    ENGINES,
    draft_invoice,
    inventory_kernel,
    issue,
    on_hand,
    receive,
    shop,
)

UNITS = 7


@pytest.mark.parametrize("engine", ENGINES)
def test_invoices_racing_for_the_last_units_never_go_below_zero(make_kernel: Any, engine: str) -> None:
    k = inventory_kernel(make_kernel, engine)
    threads = 50 if engine == "postgresql" else 10
    w = shop(k)
    receive(k, w["carpet"], str(UNITS))
    drafts = [draft_invoice(k, w, [{"product_id": w["carpet"], "quantity": "1"}]) for _ in range(threads)]

    def attempt(invoice_id: int) -> Any:
        try:
            return issue(k, w, invoice_id)
        except Conflict as exc:
            return exc

    with ThreadPoolExecutor(threads) as pool:
        answers = list(pool.map(attempt, drafts))
    numbers = sorted(a for a in answers if isinstance(a, str))
    refused = [a for a in answers if not isinstance(a, str)]
    assert numbers == [f"INV-1405-{n:05d}" for n in range(1, UNITS + 1)], answers
    assert len(refused) == threads - UNITS and all(isinstance(a, OutOfStock) for a in refused), refused
    assert k.t("fa", refused[0].msgid, **refused[0].params) == \
        "موجودی فرش ۷۰۰ شانه در انبار مرکزی کافی نیست: ۱ خواسته شده، ۰ موجود است"
    assert on_hand(k, w["carpet"]) == (0, 0)
    with k.sessions() as s:
        assert s.scalar(select(Invoice.id).where(Invoice.state == "draft", Invoice.number.is_not(None))) is None
        assert len(s.scalars(select(Invoice.id).where(Invoice.state == "draft")).all()) == threads - UNITS
        balances = s.scalars(select(StockCardMove.balance).where(StockCardMove.product_id == w["carpet"])).all()
        assert len(balances) == UNITS + 1 and min(balances) == 0
