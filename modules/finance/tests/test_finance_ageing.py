"""Ageing of receivables and receivables per customer (FIN-12): amounts overdue counted from each
unpaid instalment's due date where the invoice has a plan, else from the invoice's date; the
buckets' edges; a total row; the record scope (Isfahan's clerk sees Isfahan's customers only);
the reports as a page and an xlsx; the ageing's total is what the open invoices owe."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from kernel.timezone import local_today
from modules.finance.models import Invoice
from modules.finance.report_ageing import ageing, receivables
from modules.finance.services import plans
from modules.finance.tests.plan_helpers import TOTAL, invoice, new_cheque, pay
from modules.finance.tests.statement_helpers import cash, statement_world, void

M = 1_000_000


def _world(k: Any) -> tuple[dict[str, Any], dt.date]:
    w = statement_world(k)
    today = local_today(k.config.timezone)
    ago = lambda n: today - dt.timedelta(days=n)  # noqa: E731
    void(k, w["boss"], w["invoice"])  # the world's invoice has a fixed date: its age would change
    a = invoice(k, w, day=ago(45))  # no plan: 100M owed from its date → 31–60
    cash(k, w["boss"], a, 20 * M, ago(40))
    b = invoice(k, w, day=ago(100))  # a plan: each instalment from its own due date
    with k.session(w["boss"]) as s:
        rows = plans.save(k, s, w["boss"], b, cash=20 * M, cash_on=ago(100),
                          parts=[(ago(95), 25 * M), (ago(61), 25 * M), (ago(30), 25 * M), (ago(-10), 25 * M)])
        ids = [r.id for r in rows]
    pay(k, w, b, "cash", 20 * M, ids[0], on=ago(100))  # the cash part, paid
    pay(k, w, b, "cash", 10 * M, ids[2], on=ago(50))  # 15M of the 61–90 instalment left
    chq = new_cheque(k, w, "5566", "1000000000000077", 24 * M, ago(-10))
    pay(k, w, b, "cheque", 24 * M, ids[4], cheque_id=chq, on=ago(5))  # in hand: not money yet
    invoice(k, w, day=today)  # due today: 0 days overdue
    paid = invoice(k, w, day=ago(20))
    cash(k, w["boss"], paid, TOTAL, ago(19))
    void(k, w["boss"], invoice(k, w, day=ago(300)))
    invoice(k, w, partner="vanak", day=ago(200))  # Tehran: over 90 days
    return w, today


GAZ: list[Any] = ["گز اصفهان", 25 * M, 25 * M + TOTAL, 100 * M, 15 * M, 25 * M, 310 * M]
VANAK: list[Any] = ["ونک تجارت", 0, 0, 0, 0, TOTAL, TOTAL]


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_ageing_and_receivables(make_kernel: Any, engine: str) -> None:
    k = make_kernel(edition="tier3", engine=engine)
    w, _today = _world(k)
    with k.sessions() as s:
        titles, rows = ageing(s, w["boss"], {}, k, "fa")
        assert titles[1:6] == ["Not yet due", "0–30 days", "31–60 days", "61–90 days", "Over 90 days"]
        assert rows == [GAZ, VANAK, ["جمع", *(g + v for g, v in zip(GAZ[1:], VANAK[1:], strict=True))]]
        owed = s.scalar(select(func.sum(Invoice.balance)).where(Invoice.state == "issued"))
        assert rows[-1][-1] == owed  # every Rial still owed is in exactly one bucket
        _titles, rows = ageing(s, w["isf"], {}, k, "fa")
        assert rows == [GAZ, ["جمع", *GAZ[1:]]]  # Tehran's customer is not Isfahan's business
        titles, rows = receivables(s, w["boss"], {}, k, "fa")
        assert rows == [["گز اصفهان", 310 * M, 285 * M, 24 * M], ["ونک تجارت", TOTAL, TOTAL, 0],
                        ["جمع", 310 * M + TOTAL, 285 * M + TOTAL, 24 * M]]


def test_the_reports_on_the_web(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(edition="tier3")
    w, _today = _world(k)
    c = web_client(k, "isf")
    page = c.get("/reports/finance.ageing")
    assert page.status_code == 200 and "سنی مطالبات" in page.text and "۳۱۰٬۰۰۰٬۰۰۰" in page.text
    assert "ونک" not in page.text
    r = c.get("/reports/finance.receivables.xlsx")
    assert r.status_code == 200
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
    assert rows[1] == ("گز اصفهان", 310 * M, 285 * M, 24 * M)
    assert c.get("/reports/finance.receivables.pdf").status_code == 200
    assert web_client(k, "viewer").get("/reports/finance.ageing").status_code == 403


def test_the_total_row_adds_up_every_customer_not_only_those_listed(make_kernel: Any, monkeypatch: Any) -> None:
    """A company with more customers owing than the page lists still sees its whole receivables in
    the total row, which says how many customers it adds up."""
    from modules.finance import report_ageing

    k = make_kernel(edition="tier3")
    w, _today = _world(k)
    monkeypatch.setattr(report_ageing, "LIMIT", 1)
    with k.sessions() as s:
        _titles, rows = ageing(s, w["boss"], {}, k, "fa")
        assert rows == [GAZ, ["جمع همهٔ ۲ مشتری", *(g + v for g, v in zip(GAZ[1:], VANAK[1:], strict=True))]]
        _titles, rows = receivables(s, w["boss"], {}, k, "fa")
        assert rows == [["گز اصفهان", 310 * M, 285 * M, 24 * M], ["جمع همهٔ ۲ مشتری", 310 * M + TOTAL, 285 * M + TOTAL, 24 * M]]
