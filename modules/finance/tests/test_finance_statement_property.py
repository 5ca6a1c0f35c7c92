"""The statement's balance is the ledger's (FIN-12 reliability), a hypothesis property over random
sequences of invoices issued and voided, plans, cash received, cheques given and then cleared,
bounced or endorsed to a supplier, and receipts deleted: after every step the statement's closing
balance equals the issued invoices' totals less the money cleared (their live receipts), equals
the sum of the invoices' own ``balance``, and equals what the ageing of receivables spreads over
its buckets; and two periods back to back chain (one's closing is the next one's opening)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from kernel import Conflict, InputError
from kernel.records import FormErrors, delete_record
from kernel.timezone import local_today
from modules.finance.models import Invoice, Receipt
from modules.finance.report_ageing import open_amounts
from modules.finance.services import cheques
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.plan_helpers import invoice, make_plan, new_cheque, pay
from modules.finance.tests.statement_helpers import cash, statement_of, statement_world, void

FIRST, MIDDLE, LAST = jdate(1404, 1, 1), jdate(1405, 6, 31), jdate(1406, 12, 29)
ACTIONS = ["invoice", "plan", "cash", "cheque", "clear", "bounce", "endorse", "void", "delete"]
# (what, which invoice or cheque counted from the newest, millions, a day of 1404–1405)
STEP = st.tuples(st.sampled_from(ACTIONS), st.integers(0, 3), st.integers(1, 60), st.integers(0, 700))


def _check(k: Any, w: dict[str, Any]) -> None:
    with k.sessions() as s:
        issued = (Invoice.partner_id == w["gaz"], Invoice.state == "issued", Invoice.deleted_at.is_(None))
        totals = s.scalar(select(func.coalesce(func.sum(Invoice.grand_total), 0)).where(*issued))
        balances = s.scalar(select(func.coalesce(func.sum(Invoice.balance), 0)).where(*issued))
        received = s.scalar(select(func.coalesce(func.sum(Receipt.amount), 0)).join(Invoice, Invoice.id == Receipt.invoice_id)
                            .where(*issued, Receipt.deleted_at.is_(None)))
        aged = open_amounts(k, w["boss"], local_today(k.config.timezone))
        in_buckets = s.scalar(select(aged.c.total).where(aged.c.pid == w["gaz"])) or 0
    whole = statement_of(k, w["boss"], w["gaz"], FIRST, LAST)
    assert whole.opening == 0
    assert whole.closing == totals - received == balances == in_buckets
    before = statement_of(k, w["boss"], w["gaz"], FIRST, MIDDLE)
    after = statement_of(k, w["boss"], w["gaz"], MIDDLE + dt.timedelta(days=1), LAST)
    assert before.closing == after.opening and after.closing == whole.closing


def _step(k: Any, w: dict[str, Any], made: dict[str, Any], what: str, pick: int, millions: int,
          day: dt.date) -> None:
    boss = w["boss"]
    inv = made["invoices"][-1 - pick % len(made["invoices"])]
    if what == "invoice":
        made["invoices"].append(invoice(k, w, day=day))
    elif what == "plan":
        made["plans"][inv] = make_plan(k, w, inv, first=day + dt.timedelta(days=30))
    elif what == "cash":
        cash(k, boss, inv, millions * 1_000_000, day)
    elif what == "cheque" and inv in made["plans"]:
        n = len(made["cheques"])
        chq = new_cheque(k, w, f"7{n:05d}", f"{n + 1:016d}", millions * 1_000_000, jdate(1406, 1, 15))
        made["cheques"].append(chq)
        pay(k, w, inv, "cheque", millions * 1_000_000, made["plans"][inv][1 + pick % 4], cheque_id=chq)
    elif what in ("clear", "bounce", "endorse") and made["cheques"]:
        chq = made["cheques"][-1 - pick % len(made["cheques"])]
        moves = {"clear": ["deposited", "cleared"], "bounce": ["deposited", "bounced"], "endorse": ["endorsed"]}[what]
        for to in moves:
            with k.session(boss) as s:
                cheques.change_state(k, s, boss, chq, to, endorsed_to_id=w["supplier"] if to == "endorsed" else None)
    elif what == "void":
        void(k, boss, inv)
    elif what == "delete":
        with k.sessions() as s:
            rid = s.scalar(select(Receipt.id).join(Invoice, Invoice.id == Receipt.invoice_id)
                           .where(Invoice.partner_id == w["gaz"], Receipt.deleted_at.is_(None))
                           .order_by(Receipt.id.desc()).offset(pick).limit(1))
        if rid is not None:
            with k.session(boss) as s:
                delete_record(k, s, boss, k.resources["finance.receipt"], rid)


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_closing_balance_is_invoices_less_cleared_money(make_kernel: Any, engine: str) -> None:
    k = make_kernel(edition="tier3", engine=engine)
    w = statement_world(k)
    made: dict[str, Any] = {"invoices": [w["invoice"]], "plans": {}, "cheques": []}

    @settings(max_examples=20 if engine == "sqlite" else 8, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(st.lists(STEP, min_size=1, max_size=10))
    def run(steps: list[tuple[str, int, int, int]]) -> None:
        for what, pick, millions, offset in steps:
            try:
                _step(k, w, made, what, pick, millions, FIRST + dt.timedelta(days=offset))
            except (FormErrors, Conflict, InputError):
                pass  # refused (more than owed, a plan already paid into, a move not allowed): nothing changed
            _check(k, w)

    run()
