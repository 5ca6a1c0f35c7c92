"""Issue 11's chain (a proforma created, issued, converted) in fewer statements (session 9), and
what each shortcut still owes the user: a created document's history says what it was created
with; a conversion's invoice lines keep their products' commission rates (read with the
proforma's lines, no UPDATE after) and earn what an invoice issued directly earns; the proforma's
history still shows its conversion; the issue's handlers get the lines it wrote unless a line is
added or removed meanwhile."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from kernel.models import History
from modules.finance.models import InvoiceLine, Proforma, ProformaLine
from modules.finance.services import drafts, issuing, purchases
from modules.finance.services.documents import lines_known, lines_of
from modules.finance.tests.commission_helpers import commission_world, rows_of
from modules.finance.tests.finance_helpers import PROFORMA, jdate, statements, three_lines, world

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
DAY = jdate(1405, 2, 10)


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _history(kernel: Any, table: str, record_id: int) -> list[tuple[str, dict[str, Any]]]:
    with kernel.sessions() as s:
        rows = s.scalars(select(History).where(History.table_name == table, History.record_id == record_id)
                         .order_by(History.id)).all()
        return [(h.action, json.loads(h.changes or "{}")) for h in rows]


def test_a_created_document_is_written_once_with_its_totals_in_its_history(kernel: Any) -> None:
    w = world(kernel)
    with kernel.session(w["actor"]) as s:
        doc = drafts.create_document(kernel, s, w["actor"], PROFORMA, {"partner_id": w["customer"], "date": DAY},
                                     three_lines(w))
        pid, total, vat_bp = doc.id, doc.grand_total, doc.vat_rate_bp
    assert total > 0 and vat_bp == 1000  # 10 % VAT in 1405
    # One row: the header went in with its totals and rates (no UPDATE of them after it).
    [(action, changes)] = _history(kernel, "finance_proforma", pid)
    assert action == "create"
    assert changes["grand_total"] == [None, total] and changes["vat_rate_bp"] == [None, vat_bp]
    assert changes["state"] == [None, "draft"] and changes["discount_kind"] == [None, "percent"]


def test_a_converted_invoice_keeps_the_commission_rates_and_earns_like_a_direct_one(kernel: Any) -> None:
    w = commission_world(kernel)
    actor = w["actor"]
    with kernel.session(actor) as s:
        pid = drafts.create_document(kernel, s, actor, PROFORMA, {
            "partner_id": w["customer"], "date": DAY, "marketer_id": w["marketer"]},
            [{"product_id": w["carpet"], "quantity": "2", "discount_kind": "percent", "discount_value": "10"},
             {"product_id": w["setup"], "quantity": "1"}]).id
        issuing.issue_proforma(kernel, s, actor, pid)
    with statements(kernel.engine) as seen, kernel.session(actor) as s:
        inv = issuing.convert(kernel, s, actor, pid).id
    # The rates rode on the lines' INSERT; a new invoice has no commission rows to read.
    assert not [st for st in seen if st.startswith("UPDATE finance_invoice_line")], seen
    assert not [st for st in seen if st.startswith("SELECT") and "FROM finance_commission " in st], seen
    with kernel.sessions() as s:
        lines = s.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == inv).order_by(InvoiceLine.id)).all()
        assert [(li.marketer_rate, li.agency_rate, li.rated_product_id) for li in lines] == [
            (Decimal("2.50"), Decimal("100.00"), w["carpet"]), (None, None, w["setup"])]
        assert s.get(Proforma, pid).converted_invoice_id == inv
    # FAQ 34: 2 × 12,500,000 − 10 % = 22,500,000 at 2.5 % → 562,500 Rials, as an invoice issued directly.
    assert [(r.agent_id, r.kind, r.base, r.amount) for r in rows_of(kernel, inv)] == [
        (w["marketer"], "marketer", 22_500_000, 562_500)]
    # The proforma's history still shows the invoice it became.
    assert ("update", {"converted_invoice_id": [None, inv]}) in _history(kernel, "finance_proforma", pid)


def test_the_lines_handed_to_handlers_are_read_again_once_one_is_added_or_removed(kernel: Any) -> None:
    w = world(kernel)
    with kernel.session(w["actor"]) as s:
        doc = drafts.create_document(kernel, s, w["actor"], PROFORMA, {"partner_id": w["customer"], "date": DAY},
                                     three_lines(w))
        lines = lines_of(s, doc)
        with lines_known(s, doc, lines):
            with statements(kernel.engine) as seen:
                assert lines_of(s, doc) == lines
            assert seen == []  # handed, not read
            extra = ProformaLine(proforma_id=doc.id, position=9, product_id=w["setup"], quantity=Decimal(1),
                                 unit_price=1_000)
            s.add(extra)
            assert lines_of(s, doc) == [*lines, extra]  # pending: read (and flushed) again
            with statements(kernel.engine) as seen:
                assert lines_of(s, doc) == [*lines, extra]
            assert seen  # written by a flush: no longer the lines known
            s.delete(extra)
            s.flush()
            assert lines_of(s, doc) == lines
        with statements(kernel.engine) as seen:
            assert lines_of(s, doc) == lines
        assert seen


def test_concurrent_sales_and_purchases_of_one_product_agree_with_the_replay(kernel: Any) -> None:
    """Sales take their units off by one INSERT … ON CONFLICT DO UPDATE … RETURNING, purchases
    lock the row first (``lock_many``): racing each other, every sale keeps a cost and the kept
    quantity and average are what replaying the moves gives."""
    from modules.finance.services import average_cost
    from modules.finance.services.issuing import invoice_directly
    from modules.finance.tests.purchase_helpers import buy, cost_of, purchase_world
    from modules.finance.tests.test_finance_concurrency import _race

    w = purchase_world(kernel)
    carpet, actor = w["carpet"], w["actor"]
    buy(kernel, w, [(carpet, "100", 1_000)])
    n = 16 if kernel.engine.dialect.name == "postgresql" else 8
    drafts_ = [buy(kernel, w, [(carpet, str(1 + i % 3), 1_000 + 37 * i)], post=False) for i in range(n // 2)]

    def job(i: int) -> int:
        with kernel.session(actor) as s:
            if i % 2:
                return int(purchases.post(kernel, s, actor, drafts_[i // 2]).id)
            return int(invoice_directly(kernel, s, actor, {"partner_id": w["customer"], "date": DAY},
                                        [{"product_id": carpet, "quantity": "2", "unit_price": 2_000}]).id)

    answers = _race(n, job)
    assert all(isinstance(a, int) for a in answers), answers
    sold = [a for i, a in enumerate(answers) if i % 2 == 0]
    with kernel.sessions() as s:
        costs = s.scalars(select(InvoiceLine.cost).where(InvoiceLine.invoice_id.in_(sold))).all()
    assert len(costs) == len(sold) and all(c is not None and c >= 1_000 for c in costs), costs
    kept = cost_of(kernel, carpet)
    assert kept[0] == 100 + sum(1 + i % 3 for i in range(n // 2)) - 2 * len(sold)
    with kernel.session(actor) as s:
        row = average_cost.replay(s, carpet)
        assert (Decimal(row.on_hand), row.avg_cost) == kept[:2]


def test_a_header_from_the_form_or_the_api_goes_in_with_its_rates_and_totals(kernel: Any, web_client: Any,
                                                                           api_client: Any) -> None:
    """``Resource.complete``: the header form and the API write a new document's rates and totals
    (its shipping and the shipping's VAT) in its INSERT: one history row, no UPDATE after it."""
    from kernel.testing import csrf

    w = world(kernel)
    browser = web_client(kernel, "sara")
    resp = browser.post("/finance/proforma/new", data={
        "csrf": csrf(browser, "/finance/proforma/new"), "partner_id": str(w["customer"]), "date": "۱۴۰۵/۰۲/۱۰",
        "kind": "goods", "discount_kind": "percent", "discount_value": "2", "shipping": "۵۰۰٬۰۰۰"},
        follow_redirects=False)
    assert resp.status_code == 303, resp.text[:500]
    from_form = int(resp.headers["location"].rstrip("/").split("/")[-1])
    resp = api_client(kernel, "sara").post("/api/finance/invoice", json={
        "partner_id": w["customer"], "date": DAY.isoformat(), "shipping": 200_000})
    assert resp.status_code == 201, resp.text[:500]
    from_api = resp.json()["id"]
    for table, record_id, shipping in (("finance_proforma", from_form, 500_000), ("finance_invoice", from_api, 200_000)):
        [(action, changes)] = _history(kernel, table, record_id)
        assert action == "create"
        # 10 % VAT in 1405, on the shipping: the document's only amount until it has lines.
        assert changes["vat_rate_bp"] == [None, 1000] and changes["grand_total"] == [None, shipping]


def test_the_customer_s_earlier_invoices_are_read_only_for_a_loyal_customers_policy(kernel: Any) -> None:
    """The line rules count the customer's invoices (FIN-03's loyal-customer discount) only when
    such a policy is among the policies found: on every other save of lines that is a statement
    saved; with one, the discount is still given by the count."""
    from decimal import Decimal as D

    from kernel.testing import create_record

    w = world(kernel)

    def saved_lines() -> tuple[list[str], int]:
        with statements(kernel.engine) as seen, kernel.session(w["actor"]) as s:
            doc = drafts.create_document(kernel, s, w["actor"], PROFORMA, {"partner_id": w["customer"], "date": DAY},
                                         [{"product_id": w["carpet"], "quantity": "1"}])
            discount = s.scalars(select(ProformaLine).where(ProformaLine.proforma_id == doc.id)).one().discount_amount
        return [st for st in seen if "FROM finance_invoice " in st and "count(" in st], discount

    counted, discount = saved_lines()
    assert counted == [] and discount == 0
    create_record(kernel, None, "finance.sales_policy", name="وفادار", kind="percent", percent=D("5"), min_invoices=0)
    counted, discount = saved_lines()
    assert len(counted) == 1 and discount == 625_000  # 5 % of 12,500,000: no earlier invoice is needed
    create_record(kernel, None, "finance.sales_policy", name="وفادارتر", kind="percent", percent=D("9"),
                  min_invoices=3)
    counted, discount = saved_lines()
    assert len(counted) == 1 and discount == 625_000  # the customer has no invoice: 9 % is not earned
