"""The ledger of payment plans (FIN-08 reliability): two payments on one instalment at the same
moment on PostgreSQL (one is refused, nothing half written), and a hypothesis property over
random sequences of payments, cheque clearings and bounces and deleted receipts: the invoice's
balance always equals its total less the cleared allocations and less its live receipts, and no
instalment is ever held beyond its amount."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from kernel.records import FormErrors, delete_record
from modules.finance.models import Allocation, Instalment, Invoice, Payment, Receipt
from modules.finance.services import cheques
from modules.finance.tests.plan_helpers import (
    TOTAL,
    invoice,
    make_plan,
    pay,
    plan_world,
    planned_with_cheques,
)


@pytest.mark.postgres
@pytest.mark.parametrize("rounds", [4])
def test_two_payments_on_one_instalment_at_once(make_kernel: Any, rounds: int) -> None:
    k = make_kernel(edition="tier3", engine="postgresql")
    w = plan_world(k)
    for r in range(rounds):
        inv = w["invoice"] if r == 0 else invoice(k, w)
        ids = make_plan(k, w, inv)
        start = threading.Barrier(2)

        def act(who: str, start: threading.Barrier = start, inv: int = inv, target: int = ids[1]) -> Any:
            start.wait(timeout=5)
            try:
                # Each pays 20,000,000 of an instalment of 24,000,000: only one fits.
                return pay(k, w, inv, "cash", 20_000_000, target, actor=who)
            except FormErrors as exc:
                return exc

        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(act, ["boss", "isf"]))
        won = [a for a in answers if isinstance(a, int)]
        lost = [a for a in answers if isinstance(a, FormErrors)]
        assert len(won) == 1 and len(lost) == 1, answers
        assert set(lost[0].errors) == {"amount"}
        with k.sessions() as s:
            assert s.scalar(select(func.count(Payment.id)).where(Payment.invoice_id == inv)) == 1
            assert s.scalar(select(func.sum(Receipt.amount)).where(Receipt.invoice_id == inv)) == 20_000_000
            assert s.get(Invoice, inv).balance == TOTAL - 20_000_000
            assert s.get(Instalment, ids[1]).paid == 20_000_000


# One step of a sequence: (what, instalment index 0…4, amount in millions, which cheque).
STEP = st.tuples(st.sampled_from(["cash", "slip", "pos", "promise", "cheque", "clear", "bounce", "delete"]),
                 st.integers(0, 4), st.integers(1, 30), st.integers(0, 2))


def _check(k: Any, inv: int) -> None:
    with k.sessions() as s:
        balance, total = s.execute(select(Invoice.balance, Invoice.grand_total).where(Invoice.id == inv)).one()
        cleared = s.scalar(select(func.coalesce(func.sum(Allocation.amount), 0))
                           .join(Payment, Payment.id == Allocation.payment_id)
                           .where(Payment.invoice_id == inv, Payment.state == "cleared",
                                  Payment.deleted_at.is_(None))) or 0
        receipts = s.scalar(select(func.coalesce(func.sum(Receipt.amount), 0))
                            .where(Receipt.invoice_id == inv, Receipt.deleted_at.is_(None))) or 0
        assert balance == total - cleared == total - receipts
        rows = s.scalars(select(Instalment).where(Instalment.invoice_id == inv, Instalment.deleted_at.is_(None))).all()
        assert sum(r.paid for r in rows) == cleared
        for r in rows:
            held = s.scalar(select(func.coalesce(func.sum(Allocation.amount), 0))
                            .join(Payment, Payment.id == Allocation.payment_id)
                            .where(Allocation.instalment_id == r.id, Payment.state.in_(("pending", "cleared")),
                                   Payment.deleted_at.is_(None))) or 0
            assert r.paid <= r.amount and held <= r.amount
            assert r.state == ("paid" if r.paid == r.amount else "partly" if r.paid else "open")


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_balance_is_total_less_cleared_money_over_random_sequences(make_kernel: Any, engine: str) -> None:
    k = make_kernel(edition="tier3", engine=engine)
    w = plan_world(k)
    serial = iter(range(10**6))

    @settings(max_examples=25 if engine == "sqlite" else 12, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(st.lists(STEP, min_size=1, max_size=12))
    def run(steps: list[tuple[str, int, int, int]]) -> None:
        inv, ids, chqs = planned_with_cheques(k, w, next(serial), "9")
        for what, at, millions, c in steps:
            try:
                if what in ("cash", "slip", "pos", "promise"):
                    extra = {"slip": {"slip_number": "۱۲", "account_id": w["account"]},
                             "pos": {"terminal_id": w["pos"], "trace_number": "۹۹"}}.get(what, {})
                    pay(k, w, inv, what, millions * 1_000_000, ids[at], **extra)
                elif what == "cheque":
                    pay(k, w, inv, "cheque", millions * 1_000_000, ids[at], cheque_id=chqs[c])
                elif what in ("clear", "bounce"):
                    for to in ("deposited", "cleared" if what == "clear" else "bounced"):
                        with k.session(w["boss"]) as s:
                            cheques.change_state(k, s, w["boss"], chqs[c], to)
                else:
                    with k.sessions() as s:
                        rid = s.scalar(select(Receipt.id).where(Receipt.invoice_id == inv, Receipt.deleted_at.is_(None))
                                       .order_by(Receipt.id.desc()).limit(1))
                    if rid is not None:
                        with k.session(w["boss"]) as s:
                            delete_record(k, s, w["boss"], k.resources["finance.receipt"], rid)
            except FormErrors:
                pass  # refused (more than owed, a move the cheque's life does not allow): nothing changed
            _check(k, inv)

    run()
