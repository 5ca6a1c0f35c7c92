"""Two things at once on purchases (FIN-18, FIN-14): concurrent payments never pay more than is
open (the purchase's row lock), and concurrent postings of purchases of one product leave the
average the replay gives (the product's row lock)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from modules.finance.models import Purchase
from modules.finance.services import average_cost, purchase_payments, purchases
from modules.finance.tests.purchase_helpers import DAY, buy, cost_of, purchase_world
from modules.finance.tests.test_finance_concurrency import _race

ENGINES = [pytest.param("postgresql", marks=pytest.mark.postgres), "sqlite"]


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _threads(kernel: Any) -> int:
    return 24 if kernel.engine.dialect.name == "postgresql" else 8


def test_concurrent_payments_never_pay_more_than_is_open(kernel: Any) -> None:
    w = purchase_world(kernel)
    pid = buy(kernel, w, [(w["carpet"], "10", 10_000)])  # 110,000
    part = 110_000 // 5 + 1  # four fit, the fifth would pass the total

    def pay(_: int) -> int:
        with kernel.session(w["actor"]) as s:
            return int(purchase_payments.pay(kernel, s, w["actor"], pid, part, DAY, "cash").id)

    answers = _race(_threads(kernel), pay)
    assert sum(isinstance(a, int) for a in answers) == 4, answers
    with kernel.sessions() as s:
        doc = s.get(Purchase, pid)
        assert (doc.paid, doc.balance) == (4 * part, 110_000 - 4 * part)


def test_concurrent_postings_of_one_product_agree_with_the_replay(kernel: Any) -> None:
    w = purchase_world(kernel)
    n = _threads(kernel) // 2
    drafts = [buy(kernel, w, [(w["carpet"], str(1 + i % 3), 1_000 + 37 * i)], post=False) for i in range(n)]

    def post(i: int) -> int:
        with kernel.session(w["actor"]) as s:
            return int(purchases.post(kernel, s, w["actor"], drafts[i]).id)

    answers = _race(n, post)
    assert all(isinstance(a, int) for a in answers), answers
    kept = cost_of(kernel, w["carpet"])
    with kernel.session(w["actor"]) as s:
        row = average_cost.replay(s, w["carpet"])
        assert (Decimal(row.on_hand), row.avg_cost) == kept[:2]
    assert kept[0] == sum(1 + i % 3 for i in range(n))
