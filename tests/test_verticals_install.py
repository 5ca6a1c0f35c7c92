"""Issue 16's rule that proves the design: a vertical installs on a live database that already
holds tier-4 data and keeps every row (each vertical has its own function here)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, inspect, select, table

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _counts(kernel: Any) -> dict[str, int]:
    with kernel.engine.connect() as conn:
        names = [n for n in inspect(conn).get_table_names() if n != "alembic_version"]
        return {n: int(conn.execute(select(func.count()).select_from(table(n))).scalar_one()) for n in names}


@pytest.mark.parametrize("engine", ENGINES)
def test_carpet_installs_on_a_live_tier4_database_and_keeps_every_row(make_kernel: Any, engine: str) -> None:
    from kernel import migrations
    from kernel.testing import create_record
    from modules.carpet.tests.carpet_helpers import receive
    from modules.finance.tests.purchase_helpers import buy, purchase_world, sell
    from modules.marketing.testing import queue_sms

    k4 = make_kernel(edition="tier4", modules=("inventory",), engine=engine)
    w = purchase_world(k4)
    buy(k4, w, [(w["carpet"], "10", 1_000)])  # finance's purchase
    receive(k4, w["carpet"], "10")  # inventory's receipt
    sold = sell(k4, w, [(w["carpet"], "3", 2_000)])
    create_record(k4, None, "base.partner", kind="person", first_name="رضا", last_name="کریمی", name="رضا کریمی",
                  mobile="+989121230000")
    queue_sms(k4, ["+989121230000"], "سلام")
    before = _counts(k4)
    assert not any(t.startswith("carpet_") for t in before)

    k = make_kernel(engine=engine, same_database_as=k4, edition="tier4", modules=("inventory", "carpet"))
    after = _counts(k)
    assert {t: after[t] for t in before} == before  # every row kept, nothing added to tier 4's tables
    assert {t for t in after if t.startswith("carpet_") and "_fts" not in t} == {
        "carpet_design", "carpet_dealer", "carpet_warranty_batch", "carpet_warranty_card"}
    assert migrations.diff(k) == []
    # The carpet sold before stays without a card; once it is a design, the next sale makes one.
    from modules.carpet.models import WarrantyCard

    create_record(k, None, "carpet.design", code="700", name="کاشان", product_id=w["carpet"], reeds=700)
    again = sell(k, w, [(w["carpet"], "2", 2_000)])
    with k.sessions() as s:
        assert s.scalar(select(func.count()).select_from(WarrantyCard).where(WarrantyCard.invoice_id == sold)) == 0
        assert s.scalar(select(func.count()).select_from(WarrantyCard).where(WarrantyCard.invoice_id == again)) == 2
