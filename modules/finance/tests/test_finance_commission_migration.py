"""The commissions migration (a6c3e8f2d417) goes down and up again on SQLite with invoices in the
database (issue 12): its batch-mode table rebuilds must not trip the invoices' foreign keys (lines,
receipts, payments point at them), and the rows are all there afterwards."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from kernel import migrations
from modules.finance.tests.commission_helpers import commission_world, rows_of, sell
from modules.finance.tests.migration_helpers import migrate


def test_down_through_the_commissions_and_up_again_with_invoices(make_kernel: Any) -> None:
    k = make_kernel(edition="tier3")
    w = commission_world(k)
    inv = sell(k, w)
    with k.engine.connect() as conn:
        lines = conn.execute(sa.text("SELECT id, quantity FROM finance_invoice_line ORDER BY id")).all()
        assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1  # the kernel's connections check them
    migrate(k, "b8e4d2a6c317", down=True)
    with k.engine.connect() as conn:
        assert "finance_commission" not in sa.inspect(conn).get_table_names()
        assert "agency_id" not in {c["name"] for c in sa.inspect(conn).get_columns("finance_invoice")}
        assert conn.execute(sa.text("SELECT count(*) FROM finance_invoice WHERE id = :i"), {"i": inv}).scalar() == 1
        assert conn.execute(sa.text("PRAGMA foreign_key_check")).all() == []
    migrate(k, "heads")
    assert migrations.diff(k) == []
    with k.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT id, quantity FROM finance_invoice_line ORDER BY id")).all() == lines
        assert conn.execute(sa.text("PRAGMA foreign_key_check")).all() == []
    assert rows_of(k, inv) == []  # the rows went with their table; the backfill writes them again
