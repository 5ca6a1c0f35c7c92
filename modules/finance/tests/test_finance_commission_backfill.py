"""Commission rows for invoices issued before commissions existed (issue 12): the command writes
them as the issue would have (dated the invoice's day, from the lines' kept percentages or, where a
line kept none, the product's), and a second run writes nothing — on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, update

from kernel import cli
from modules.finance import backfill_commissions
from modules.finance.models import Commission, InvoiceLine
from modules.finance.tests.commission_helpers import commission_world, rows_of, sell
from modules.finance.tests.finance_helpers import jdate

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _as_before_commissions(k: Any, invoice_id: int) -> None:
    """What revision a6c3e8f2d417 left an older invoice with: no rows, lines without percentages."""
    with k.session() as s:
        s.execute(delete(Commission).where(Commission.invoice_id == invoice_id))
        s.execute(update(InvoiceLine).where(InvoiceLine.invoice_id == invoice_id)
                  .values(marketer_rate=None, agency_rate=None, rated_product_id=None))


@pytest.mark.parametrize("engine", ENGINES)
def test_the_backfill_writes_what_the_issue_would_have_once(make_kernel: Any, engine: str, monkeypatch: Any,
                                                           capsys: Any) -> None:
    k = make_kernel(edition="tier3", engine=engine)
    w = commission_world(k)
    old, kept = sell(k, w), sell(k, w, quantity="4")
    issued = [(r.agent_id, r.kind, r.level, r.base, r.amount, r.date) for r in rows_of(k, old)]
    assert issued == [(w["marketer"], "marketer", 0, 22_500_000, 562_500, jdate(1405, 2, 10))]
    _as_before_commissions(k, old)
    untouched = [r.id for r in rows_of(k, kept)]
    # Through the real command line: ``peyvand finance backfill-commissions`` (register_commands).
    monkeypatch.setattr("kernel.cli._kernel", lambda args: k)
    assert cli.main(["finance", "backfill-commissions", "--batch", "1"]) == 0
    assert "1 rows written for 1 invoices" in capsys.readouterr().out
    assert [(r.agent_id, r.kind, r.level, r.base, r.amount, r.date) for r in rows_of(k, old)] == issued
    assert [r.id for r in rows_of(k, kept)] == untouched
    with k.sessions() as s:
        rated = s.query(InvoiceLine.rated_product_id).filter(InvoiceLine.invoice_id == old).scalar()
        assert rated == w["carpet"]  # the line keeps the percentages it was given
    # Again, the older way (``python -m modules.finance.backfill_commissions``): nothing is missing,
    # nothing is written.
    monkeypatch.setattr(backfill_commissions, "_kernel", lambda: k)
    assert backfill_commissions.main([]) == 0
    assert "0 rows written for 0 invoices" in capsys.readouterr().out
    assert len(rows_of(k, old)) == 1
