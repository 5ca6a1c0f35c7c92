"""Issue 16's promise: a vertical is only a module set. Installing it on a live database that
already holds tier-4 data (the tier's demo: partners, invoices, cheques, campaigns, tasks…)
creates its tables and keeps every row of every other table; models and migrations agree."""

from __future__ import annotations

from typing import Any

import pytest
from alembic import command
from sqlalchemy import func, inspect, select, table

from kernel import migrations
from kernel.demo import load_demo
from kernel.kernel import Kernel
from kernel.testing import create_user

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _rows(kernel: Any) -> dict[str, int]:
    names = inspect(kernel.engine).get_table_names()
    with kernel.engine.connect() as conn:
        return {n: int(conn.scalar(select(func.count()).select_from(table(n))) or 0) for n in names}


@pytest.mark.parametrize("engine", ENGINES)
def test_installing_insurance_on_a_live_tier4_database_keeps_every_row(make_kernel: Any, engine: str,
                                                                       tmp_path: Any) -> None:
    kernel = make_kernel(edition="tier4", engine=engine, home=tmp_path / "live")
    create_user(kernel, "admin", admin=True)
    load_demo(kernel)
    before = _rows(kernel)
    assert before["base_partner"] > 100 and before["finance_invoice"] > 0
    assert not any(n.startswith("insurance_") for n in before)

    bigger = Kernel(kernel.config.__class__(**{**kernel.config.__dict__, "extra_modules": ("insurance",)}))
    try:
        migrations.upgrade(bigger)
        after = _rows(bigger)
        # Every row of every table is kept (Alembic's own table holds the heads, which move).
        assert {n: after[n] for n in before if n != "alembic_version"} == {
            n: c for n, c in before.items() if n != "alembic_version"}
        assert {n: c for n, c in after.items() if n.startswith("insurance_") and "_fts" not in n} == {
            "insurance_insurer": 0, "insurance_notice": 0, "insurance_policy": 0, "insurance_policy_type": 0}
        assert migrations.diff(bigger) == []
        assert not migrations.pending(bigger)
        # The round trip: the insurance branch down to nothing and up again; still every row.
        with migrations.migrating(bigger) as conn:
            cfg = migrations.alembic_config(bigger)
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "insurance@base")
        assert not {n for n in inspect(bigger.engine).get_table_names()
                    if n.startswith("insurance_") and "_fts" not in n}
        migrations.upgrade(bigger)
        again = _rows(bigger)
        assert {n: again[n] for n in before if n != "alembic_version"} == {
            n: c for n, c in before.items() if n != "alembic_version"}
        assert migrations.diff(bigger) == []
    finally:
        bigger.engine.dispose()
