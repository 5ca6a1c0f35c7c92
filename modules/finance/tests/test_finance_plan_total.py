"""An issued invoice's total edited after it has a payment plan (issue 12): with payments the
edit is refused in Persian and nothing changes; without, it is saved, the plan shows that it no
longer matches (and why), no payment is taken until the plan is made again — on both engines."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from kernel import Conflict
from kernel.models import History
from modules.finance.models import Invoice, InvoiceLine
from modules.finance.services import drafts
from modules.finance.tests.finance_helpers import INVOICE, jdate
from modules.finance.tests.plan_helpers import TOTAL, make_plan, pay, plan_world

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _double(k: Any, w: dict[str, Any], inv: int) -> None:
    with k.session(w["boss"]) as s:
        line = s.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == inv)).one()
        drafts.update_line(k, s, w["boss"], INVOICE, inv, line.id, {"quantity": "2"})


def _total(k: Any, inv: int) -> int:
    with k.sessions() as s:
        return int(s.get(Invoice, inv).grand_total)


@pytest.mark.parametrize("engine", ENGINES)
def test_with_payments_the_total_cannot_change(make_kernel: Any, engine: str) -> None:
    k = make_kernel(edition="tier3", engine=engine)
    w = plan_world(k)
    inv = w["invoice"]
    ids = make_plan(k, w, inv)
    pay(k, w, inv, "cash", 24_000_000, ids[0])
    with pytest.raises(Conflict) as refused:
        _double(k, w, inv)
    assert "پرداخت" in k.t("fa", refused.value.msgid) and "تغییر" in k.t("fa", refused.value.msgid)
    assert _total(k, inv) == TOTAL
    with k.sessions() as s:
        assert s.scalars(select(InvoiceLine.quantity).where(InvoiceLine.invoice_id == inv)).one() == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_without_payments_the_plan_is_marked_and_takes_no_payment(make_kernel: Any, engine: str,
                                                                 web_client: Any) -> None:
    k = make_kernel(edition="tier3", engine=engine)
    w = plan_world(k)
    inv = w["invoice"]
    ids = make_plan(k, w, inv)
    _double(k, w, inv)
    assert _total(k, inv) == 2 * TOTAL
    with k.sessions() as s:
        changes = s.scalars(select(History.changes).where(History.table_name == "finance_invoice",
                                                          History.record_id == inv)).all()
        assert any("۱۲۰٬۰۰۰٬۰۰۰" in c and "۲۴۰٬۰۰۰٬۰۰۰" in c for c in changes), changes
    page = web_client(k, "boss").get(f"/finance/invoice/{inv}")
    assert 'id="plan-not-matching"' in page.text and "۲۴۰٬۰۰۰٬۰۰۰" in page.text
    with pytest.raises(Conflict) as refused:
        pay(k, w, inv, "cash", 24_000_000, ids[0])
    assert "دوباره" in k.t("fa", refused.value.msgid)
    # Made again, the plan matches and takes money.
    ids = make_plan(k, w, inv, cash=48_000_000, count=4, first=jdate(1405, 7, 30))
    pay(k, w, inv, "cash", 48_000_000, ids[0])
    assert 'id="plan-not-matching"' not in web_client(k, "boss").get(f"/finance/invoice/{inv}").text
