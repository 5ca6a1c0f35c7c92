"""The cheque calendar's statements read the covering index ``ix_finance_cheque_calendar`` on
SQLite (issue 12): no visit to the table per cheque (the figures: docs/PERFORMANCE.md)."""

from __future__ import annotations

from typing import Any

from kernel.actor import SYSTEM
from modules.finance.services.cheque_calendar import month
from modules.finance.tests.cheque_helpers import cheque, cheque_world
from modules.finance.tests.finance_helpers import jdate


def test_the_month_reads_the_covering_index(make_kernel: Any) -> None:
    k = make_kernel(edition="tier3")
    w = cheque_world(k)
    for i in range(3):
        cheque(k, w["boss_id"], w["gaz"], w["mellat"], number=f"90{i}", sayad=f"900000000000000{i}",
               due=jdate(1405, 3, 10 + i))
    plans: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "finance_cheque" in statement:
            plans.append(" ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement,
                                                                            params).all()))

    from sqlalchemy import event

    event.listen(k.engine, "before_cursor_execute", note)
    try:
        with k.sessions() as s:
            m = month(k, s, SYSTEM, 1405, 3, jdate(1405, 3, 1))
    finally:
        event.remove(k.engine, "before_cursor_execute", note)
    assert m.count == 3
    assert len(plans) == 2 and all("COVERING INDEX ix_finance_cheque_calendar" in p for p in plans), plans
