"""Posting at once: issues racing for the last units never take more than there is (and their
numbers stay gapless), and transfers each way between two warehouses wait for each other instead
of deadlocking."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from modules.finance.tests.test_finance_concurrency import _race
from modules.inventory.models import StockDocument
from modules.inventory.tests import inventory_helpers as h


@pytest.mark.parametrize("engine", h.ENGINES)
def test_racing_issues_and_crossing_transfers(make_kernel: Any, engine: str) -> None:
    k = h.inventory_kernel(make_kernel, engine)
    w = h.world(k)
    carpet, central, shop = w["carpet"], w["central"], w["shop"]
    h.post(k, w, h.draft(k, "receipt", central, [(carpet, "5", 1_000, None)]))
    issues = [h.draft(k, "issue", central, [(carpet, "2", 0, None)]) for _ in range(6)]
    answers = _race(6, lambda i: h.post(k, w, issues[i]))
    assert sorted(a for a in answers if isinstance(a, str)) == ["ISS-1405-00001", "ISS-1405-00002"], answers
    assert h.on_hand(k, carpet, central) == 1
    assert [b for _, b, _ in h.card(k, carpet, central)] == [Decimal(5), Decimal(3), Decimal(1)]

    h.post(k, w, h.draft(k, "receipt", central, [(carpet, "9", 1_000, None)]))
    h.post(k, w, h.draft(k, "receipt", shop, [(carpet, "10", 1_000, None)]))
    moves = [h.draft(k, "transfer", central if i % 2 else shop, [(carpet, "1", 0, None)],
                     to=shop if i % 2 else central) for i in range(8)]
    answers = _race(8, lambda i: h.post(k, w, moves[i]))
    assert all(isinstance(a, str) and a.startswith("TRF-") for a in answers), answers
    assert (h.on_hand(k, carpet, central), h.on_hand(k, carpet, shop)) == (10, 10)
    with k.sessions() as s:
        assert all(s.get(StockDocument, d).state == "posted" for d in moves)
