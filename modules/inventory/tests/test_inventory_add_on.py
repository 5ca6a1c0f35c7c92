"""Inventory added to a live tier 3 database (issue 15, editions), on both engines: as an add-on
(``--add inventory``) or by moving to tier 5. Every row of the tier 3 database is kept, the
default warehouse exists, warehouses start empty, and the opening balance brings finance's
quantities on hand in once, as one posted receipt valued at the average cost, leaving finance's
own on-hand and cost as they were; from then on an invoice is checked against that stock."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, inspect, select, table

from kernel import Conflict
from kernel.testing import actor_of, create_user
from modules.finance.tests.purchase_helpers import buy, cost_of, purchase_world, sell
from modules.inventory import opening
from modules.inventory.services.stock import OutOfStock
from modules.inventory.tests.policy_helpers import on_hand

TARGETS = [pytest.param("sqlite", {"edition": "tier3", "modules": ("inventory",)}, id="sqlite-add-on"),
           pytest.param("postgresql", {"edition": "tier3", "modules": ("inventory",)}, id="postgresql-add-on",
                        marks=pytest.mark.postgres),
           pytest.param("sqlite", {"edition": "tier5"}, id="sqlite-tier5"),
           pytest.param("postgresql", {"edition": "tier5"}, id="postgresql-tier5", marks=pytest.mark.postgres)]


def _counts(kernel: Any) -> dict[str, int]:
    with kernel.engine.connect() as conn:
        names = [n for n in inspect(conn).get_table_names() if n != "alembic_version"]
        return {n: int(conn.execute(select(func.count()).select_from(table(n))).scalar_one()) for n in names}


@pytest.mark.parametrize(("engine", "target"), TARGETS)
def test_inventory_joins_a_live_tier3_database(make_kernel: Any, engine: str, target: dict[str, Any]) -> None:
    k3 = make_kernel(edition="tier3", engine=engine)
    w = purchase_world(k3)
    buy(k3, w, [(w["carpet"], "10", 1_000), (w["rug"], "4", 5_000)])
    sell(k3, w, [(w["carpet"], "3", 2_000)])
    sell(k3, w, [(w["rug"], "5", 6_000)])  # one more than was bought: finance holds −1
    before = _counts(k3)
    costs = {p: cost_of(k3, w[p]) for p in ("carpet", "rug")}
    k = make_kernel(engine=engine, same_database_as=k3, **target)  # opened on the new edition: migrated
    after = _counts(k)
    assert {t: after[t] for t in before} == before  # every row kept, nothing added to tier 3's tables
    from modules.inventory.models import Warehouse

    with k.sessions() as s:
        assert [(x.name, x.is_default) for x in s.scalars(select(Warehouse))] == [("انبار مرکزی", True)]
        assert opening.pending(s)
    assert on_hand(k, w["carpet"]) == (0, 0)
    manager = actor_of(k, create_user(k, "maryam", perms=("inventory.settings.edit",)))
    with k.session(manager) as s:
        doc = opening.bring_in(k, s, manager)
        assert doc is not None and doc.state == "posted" and (doc.number or "").startswith("RCV-")
    assert on_hand(k, w["carpet"]) == (7, 0) and on_hand(k, w["rug"]) == (0, 0)
    assert {p: cost_of(k, w[p]) for p in ("carpet", "rug")} == costs  # finance counted them already
    with pytest.raises(Conflict, match="already"), k.session(manager) as s:
        opening.bring_in(k, s, manager)
    # -- from now on (policy refuse by default) an invoice is checked against that stock
    with pytest.raises(OutOfStock):
        sell(k, w, [(w["carpet"], "8", 2_000)])
    sell(k, w, [(w["carpet"], "7", 2_000)])
    assert on_hand(k, w["carpet"]) == (Decimal(0), 0) and cost_of(k, w["carpet"])[0] == 0
