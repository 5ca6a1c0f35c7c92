"""Commissions (FIN-13) through the services and the events, on both engines: FAQ 34's worked
example, an agency beside a marketer, a three-level tree of agents, a void that reverses, an edit
that recomputes only what changed (at the percentages the line was sold at), a receipt that
changes nothing, paying twice refused in Persian, and the report's totals equal to the rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from kernel import Conflict
from kernel.actor import SYSTEM
from kernel.models import History
from kernel.records import FormErrors
from kernel.testing import actor_of, create_record, create_user
from modules.finance.models import Commission, CommissionPayment, InvoiceLine, Product
from modules.finance.report_commissions import commissions_by_agent
from modules.finance.services import drafts, issuing, receipts
from modules.finance.services.commission_pay import pay
from modules.finance.services.commissions import line_shares
from modules.finance.tests.commission_helpers import commission_world, earned, make_agent, rows_of, sell
from modules.finance.tests.finance_helpers import INVOICE, jdate

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def test_faq_34_marketer_percentage_of_the_discounted_line(kernel: Any) -> None:
    """Agency 100 %, marketer 2.5 %: 2 × 12,500,000 − 10 % = 22,500,000 → 562,500 Rials."""
    w = commission_world(kernel)
    inv = sell(kernel, w)
    rows = rows_of(kernel, inv)
    assert [(r.agent_id, r.kind, r.level, r.base, r.rate, r.amount, r.date) for r in rows] == [
        (w["marketer"], "marketer", 0, 22_500_000, Decimal("2.50"), 562_500, jdate(1405, 2, 10))]
    with kernel.sessions() as s:
        line = s.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == inv)).one()
        assert (line.marketer_rate, line.agency_rate, line.rated_product_id) == (Decimal("2.50"), Decimal("100.00"),
                                                                                 w["carpet"])
    # An invoice without a marketer or an agency gives nobody anything.
    w2 = {**w, "marketer": None}
    assert rows_of(kernel, sell(kernel, w2)) == []


def test_rounding_rule_halves_up_and_the_agency_keeps_the_pool_less_its_marketer() -> None:
    # 1,234,567 × 10 % = 123,456.7 → pool 123,457; × 2.5 % = 3,086.425 → 3,086; the agency the rest.
    assert line_shares(1_234_567, Decimal("2.5"), Decimal("10"), marketer=True, agency=True) == (123_457, 3_086,
                                                                                                  120_371)
    # 0.5 Rial goes up: 100 × 2.5 % = 2.5 → 3.
    assert line_shares(100, Decimal("2.5"), None, marketer=True, agency=False) == (100, 3, 0)
    # No agency percentage: the pool is the whole line for the marketer, nothing for an agency.
    assert line_shares(1000, Decimal("5"), None, marketer=True, agency=True) == (1000, 50, 0)


def test_an_agency_beside_the_marketer(kernel: Any) -> None:
    w = commission_world(kernel, "2.5", "10")
    agency = create_record(kernel, None, "base.partner", kind="company", name="نمایندگی شیراز")
    make_agent(kernel, agency)  # in the tree: base's role "Sales agent" is given through base's service
    from modules.base.services.roles import roles_of

    with kernel.sessions() as s:
        assert "agent" in roles_of(s, agency)
    inv = sell(kernel, w, agency_id=agency)
    got = {(r.agent_id, r.kind): r.amount for r in rows_of(kernel, inv)}
    # Pool 22,500,000 × 10 % = 2,250,000: the marketer 2.5 % of it, the agency the rest.
    assert got == {(w["marketer"], "marketer"): 56_250, (agency, "agency"): 2_193_750}


def test_three_levels_of_agents(kernel: Any) -> None:
    """Marketer C under B (B takes 10 % of C's) under A (A takes 20 % of B's)."""
    w = commission_world(kernel)
    a = create_record(kernel, None, "base.partner", kind="company", name="سرشاخه")
    b = create_record(kernel, None, "base.partner", kind="company", name="شاخه")
    agent_a = make_agent(kernel, a)
    agent_b = make_agent(kernel, b, agent_a, "20")
    make_agent(kernel, w["marketer"], agent_b, "10")
    inv = sell(kernel, w)
    rows = [(r.agent_id, r.level, r.base, r.amount, r.seller_id) for r in rows_of(kernel, inv)]
    assert sorted(rows, key=lambda r: r[1]) == [(w["marketer"], 0, 22_500_000, 562_500, w["marketer"]),
                                                (b, 1, 562_500, 56_250, w["marketer"]),
                                                (a, 2, 56_250, 11_250, w["marketer"])]
    # A loop is refused on the form: A cannot be put under its own sub-agent.
    from kernel import records

    with kernel.session() as s, pytest.raises(FormErrors) as exc:
        records.update_record(kernel, s, SYSTEM, kernel.resources["finance.agent"], agent_a,
                              {"parent_id": agent_b, "parent_share": Decimal(5)})
    assert kernel.t("fa", exc.value.errors["parent_id"].msgid) != exc.value.errors["parent_id"].msgid


def test_void_reverses_every_row_and_keeps_them(kernel: Any) -> None:
    w = commission_world(kernel)
    top = create_record(kernel, None, "base.partner", kind="company", name="سرشاخه")
    make_agent(kernel, w["marketer"], make_agent(kernel, top), "10")
    inv = sell(kernel, w)
    assert (earned(kernel, w["marketer"]), earned(kernel, top)) == (562_500, 56_250)
    with kernel.session(w["actor"]) as s:
        issuing.void_invoice(kernel, s, w["actor"], inv, "اشتباه در صدور")
    rows = rows_of(kernel, inv)
    assert len(rows) == 4 and (earned(kernel, w["marketer"]), earned(kernel, top)) == (0, 0)
    originals = [r for r in rows if r.reversal_of_id is None]
    reversals = {r.reversal_of_id: r.amount for r in rows if r.reversal_of_id is not None}
    assert all(r.reversed for r in originals) and reversals == {r.id: -r.amount for r in originals}


def test_edit_recomputes_the_changed_line_at_the_percentage_it_was_sold_at(kernel: Any) -> None:
    w = commission_world(kernel)
    inv = sell(kernel, w)
    # The product's percentage changes afterwards: the sold line keeps 2.5 %.
    with kernel.session() as s:
        s.get(Product, w["carpet"]).marketer_commission = Decimal(50)
    # A receipt is an InvoiceChanged too: nothing moves.
    with kernel.session(w["actor"]) as s:
        receipts.receive_cash(kernel, s, w["actor"], inv, 1_000_000, jdate(1405, 2, 11))
    assert len(rows_of(kernel, inv)) == 1
    with kernel.session(w["actor"]) as s:
        line = s.scalars(select(InvoiceLine).where(InvoiceLine.invoice_id == inv)).one()
        drafts.update_line(kernel, s, w["actor"], INVOICE, inv, line.id, {"quantity": "4"})
    rows = rows_of(kernel, inv)
    # 4 × 12,500,000 − 10 % = 45,000,000 × 2.5 % = 1,125,000: the old row reversed, the new one written.
    assert [(r.amount, r.reversal_of_id is not None, r.reversed) for r in rows] == [
        (562_500, False, True), (-562_500, True, False), (1_125_000, False, False)]
    assert earned(kernel, w["marketer"]) == 1_125_000
    # A line added by the edit takes the product's percentage of today (50 %).
    with kernel.session(w["actor"]) as s:
        drafts.add_line(kernel, s, w["actor"], INVOICE, inv, {"product_id": w["carpet"], "quantity": "1"})
    assert earned(kernel, w["marketer"]) == 1_125_000 + 6_250_000
    # Changing the marketer moves everything to the new one.
    other = create_record(kernel, None, "base.partner", kind="person", first_name="رضا", last_name="فروشنده")
    from kernel import records

    with kernel.session(w["actor"]) as s:
        records.update_record(kernel, s, w["actor"], kernel.resources["finance.invoice"], inv, {"marketer_id": other})
    assert (earned(kernel, w["marketer"]), earned(kernel, other)) == (0, 1_125_000 + 6_250_000)


def test_paying_marks_the_rows_once_and_paying_twice_is_refused_in_persian(kernel: Any) -> None:
    w = commission_world(kernel)
    inv = sell(kernel, w)
    ids = [r.id for r in rows_of(kernel, inv)]
    with kernel.session(w["actor"]) as s:
        payment = pay(kernel, s, w["actor"], ids, jdate(1405, 3, 1), "حواله ۱۲۳", "خرداد")
        pid = payment.id
    with kernel.sessions() as s:
        assert s.get(CommissionPayment, pid).amount == 562_500
        row = s.get(Commission, ids[0])
        assert (row.payment_id, row.paid_on) == (pid, jdate(1405, 3, 1))
        # The payment is in the row's history.
        assert s.scalar(select(func.count()).select_from(History).where(
            History.table_name == "finance_commission", History.record_id == ids[0], History.action == "update")) == 1
    with kernel.session(w["actor"]) as s, pytest.raises(Conflict) as exc:
        pay(kernel, s, w["actor"], ids, jdate(1405, 3, 2), "حواله ۱۲۴")
    assert kernel.t("fa", exc.value.msgid) == "برخی از این پورسانت‌ها پیش‌تر پرداخت شده‌اند"
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(CommissionPayment)) == 1
    # Nothing ticked, no reference: refused on the fields.
    with kernel.session(w["actor"]) as s, pytest.raises(FormErrors) as bad:
        pay(kernel, s, w["actor"], [], None, " ")
    assert set(bad.value.errors) == {"ids", "paid_on", "reference"}
    # A void after the payment writes an unpaid reversal: the agent owes it back.
    with kernel.session(w["actor"]) as s:
        issuing.void_invoice(kernel, s, w["actor"], inv, "برگشت کالا")
    with kernel.sessions() as s:
        cols, rows = commissions_by_agent(s, actor_of(kernel, w["uid"]), {}, kernel, "fa")
    assert rows[-1][2:] == [0, 562_500, -562_500]


def test_the_report_totals_equal_the_rows_and_an_agent_sees_only_its_own(kernel: Any) -> None:
    w = commission_world(kernel)
    top = create_record(kernel, None, "base.partner", kind="company", name="سرشاخه")
    agent_user = create_user(kernel, "mina", perms=("finance.commission.view", "finance.commissions.report"),
                             scope="own")
    make_agent(kernel, w["marketer"], make_agent(kernel, top), "10", user_id=agent_user)
    first = sell(kernel, w)
    sell(kernel, w, quantity="3")
    ids = [r.id for r in rows_of(kernel, first)]
    with kernel.session(w["actor"]) as s:
        pay(kernel, s, w["actor"], ids, jdate(1405, 3, 1), "حواله ۷")
    with kernel.sessions() as s:
        cols, rows = commissions_by_agent(s, actor_of(kernel, w["uid"]), {"from": "۱۴۰۵/۰۱/۰۱", "to": "1405/12/29"},
                                          kernel, "fa")
        every = list(s.scalars(select(Commission)))
    assert cols[2:] == ["Earned (Rials)", "Paid (Rials)", "Unpaid (Rials)"]
    body, total = rows[:-1], rows[-1]
    assert sum(r[2] for r in body) == total[2] == sum(c.amount for c in every)
    assert total[3] == sum(c.amount for c in every if c.payment_id) == 562_500 + 56_250
    assert all(r[2] == r[3] + r[4] for r in rows)
    # Agents in Persian alphabetical order: «سرشاخه» (its share of a sub-agent) before «مینا».
    assert [(r[0], r[1]) for r in body][0] == ("سرشاخه", "زیرمجموعه، سطح ۱")
    assert body[1][1] == "فروش خود" and "مینا" in body[1][0]
    # The agent's own user: only the marketer's rows (not the parent's), in lists and the report.
    me = actor_of(kernel, agent_user)
    with kernel.sessions() as s:
        mine = list(s.scalars(kernel.scoped_select(me, Commission)))
        _cols, own_rows = commissions_by_agent(s, me, {}, kernel, "fa")
    assert mine and {c.agent_id for c in mine} == {w["marketer"]}
    assert own_rows[-1][2] == 562_500 + 843_750
    # A period that holds none of the rows: nothing.
    with kernel.sessions() as s:
        assert commissions_by_agent(s, me, {"from": "1404/01/01", "to": "1404/12/29"}, kernel, "fa")[1] == []


def test_many_payments_of_the_same_rows_at_once_pay_them_once(kernel: Any) -> None:
    """Real threads, each with its own transaction: 20 on PostgreSQL (rows read FOR UPDATE), 8 on
    SQLite (writers take turns). One payment wins; the others are refused, nothing half-paid."""
    from concurrent.futures import ThreadPoolExecutor

    w = commission_world(kernel)
    top = create_record(kernel, None, "base.partner", kind="company", name="سرشاخه")
    make_agent(kernel, w["marketer"], make_agent(kernel, top), "10")
    ids = [r.id for r in rows_of(kernel, sell(kernel, w))]
    n = 20 if kernel.engine.dialect.name == "postgresql" else 8

    def attempt(i: int) -> Any:
        try:
            with kernel.session(w["actor"]) as s:
                return int(pay(kernel, s, w["actor"], ids, jdate(1405, 3, 1), f"حواله {i}").id)
        except Conflict as exc:
            return exc.msgid

    with ThreadPoolExecutor(n) as pool:
        answers = list(pool.map(attempt, range(n)))
    won = [a for a in answers if isinstance(a, int)]
    assert len(won) == 1 and answers.count("Some of these commissions are already paid") == n - 1
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(CommissionPayment)) == 1
        assert {c.payment_id for c in s.scalars(select(Commission))} == {won[0]}
