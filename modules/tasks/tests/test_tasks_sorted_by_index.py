"""Open tasks sorted by due date are read in the order of an index (issue 9's follow-up): the
list's sort expression for a nullable column writes its constant into the SQL
(``kernel.records.nulls_first``), so ``ix_tasks_task_open_by_due`` matches it and a page stops
after its rows instead of sorting every open task."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import event

from kernel import records
from kernel.testing import actor_of, create_record, create_user


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_open_tasks_by_due_date_walk_the_index(make_kernel: Any, engine: str) -> None:
    k = make_kernel(edition="tier2", engine=engine)
    admin = create_user(k, "admin", admin=True)
    due = dt.datetime(2026, 12, 20, 6, 30)
    for i in range(30):
        create_record(k, admin, "tasks.task", title=f"کار {i}", due_at=due + dt.timedelta(hours=i) if i % 3 else None)
    statements: list[tuple[str, Any]] = []
    event.listen(k.engine, "before_cursor_execute",
                 lambda conn, cur, st, params, ctx, many: statements.append((st, params)))
    res = k.resources["tasks.task"]
    q = records.ListQuery.from_params({"f_state": "open", "sort": "due_at"}, 10)
    with k.sessions() as s:
        page = records.list_records(k, s, actor_of(k, admin), res, q)
    # Undated first (as the lowest), then by date: the order a user relies on is unchanged.
    assert [t.due_at for t in page.items][:10] == [None] * 10
    page_sql, params = next((st, p) for st, p in statements if "ORDER BY" in st and "LIMIT" in st)
    assert "0001-01-01" in page_sql  # the constant is in the SQL, not a parameter
    with k.engine.connect() as conn:
        if engine == "sqlite":
            plan = " ".join(str(r) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + page_sql, params))
            assert "ix_tasks_task_open_by_due" in plan and "TEMP B-TREE" not in plan, plan
        else:
            conn.exec_driver_sql("SET enable_seqscan = off")  # a handful of rows: make the index the choice
            plan = " ".join(str(r) for r in conn.exec_driver_sql("EXPLAIN " + page_sql, params))
            assert "ix_tasks_task_open_by_due" in plan, plan
