"""A bounced cheque cleared through legal follow-up pays the plan again (issue 12): a new cleared
payment and its receipt dated the day of the change, first on the instalments the bounced payment
covered, then on the plan's other open ones; capped at what the plan still needs — what finds no
open instalment is not received and the invoice's owner is alarmed — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from kernel.testing import alarms_of
from modules.finance.models import Cheque, Invoice, Payment, Receipt
from modules.finance.services import cheques, plans
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.plan_helpers import TOTAL, make_plan, new_cheque, pay, plan_world

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
BOUNCED_ON, CLEARED_ON = jdate(1405, 7, 20), jdate(1405, 9, 5)


def _move(k: Any, w: dict[str, Any], cid: int, state: str, on: dt.date) -> None:
    with k.session(w["boss"]) as s:
        cheques.change_state(k, s, w["boss"], cid, state, on=on,
                             account_id=w["account"] if state == "deposited" else None)


def _bounce_then_clear(k: Any, w: dict[str, Any], cid: int, meanwhile: Any = None) -> None:
    for state in ("deposited", "bounced", "legal"):
        _move(k, w, cid, state, BOUNCED_ON)
    if meanwhile is not None:
        meanwhile()
    _move(k, w, cid, "cleared", CLEARED_ON)


def _plan(k: Any, inv: int) -> tuple[int, list[tuple[str, int]]]:
    with k.sessions() as s:
        return s.get(Invoice, inv).balance, [(r.state, r.paid) for r in plans.instalments(s, inv)]


@pytest.fixture(params=ENGINES)
def world(request: pytest.FixtureRequest, make_kernel: Any) -> tuple[Any, dict[str, Any], list[int]]:
    k = make_kernel(edition="tier3", engine=request.param)
    w = plan_world(k)
    ids = make_plan(k, w, w["invoice"], cash=24_000_000, count=4, first=jdate(1405, 7, 30))
    pay(k, w, w["invoice"], "cash", 24_000_000, ids[0], on=jdate(1405, 6, 31))
    return k, w, ids


def test_cleared_after_legal_follow_up_pays_its_instalment_again(world: Any) -> None:
    k, w, ids = world
    inv = w["invoice"]
    cid = new_cheque(k, w, "2001", "2000000000000001", 24_000_000, jdate(1405, 7, 30))
    pay(k, w, inv, "cheque", None, ids[1], cheque_id=cid)
    _bounce_then_clear(k, w, cid)
    balance, states = _plan(k, inv)
    assert balance == TOTAL - 48_000_000
    assert states[:3] == [("paid", 24_000_000), ("paid", 24_000_000), ("open", 0)]
    with k.sessions() as s:
        rows = s.execute(select(Payment.state, Payment.date, Payment.amount).where(Payment.cheque_id == cid)
                         .order_by(Payment.id)).all()
        assert [tuple(r) for r in rows] == [("bounced", jdate(1405, 7, 1), 24_000_000),
                                            ("cleared", CLEARED_ON, 24_000_000)]
        receipt = s.execute(select(Receipt.date, Receipt.amount, Receipt.method)
                            .where(Receipt.invoice_id == inv, Receipt.method == "cheque")).one()
        assert tuple(receipt) == (CLEARED_ON, 24_000_000, "cheque")
        assert plans.instalments(s, inv)[1].paid_on == CLEARED_ON


def test_paid_meanwhile_the_cheque_goes_to_the_next_open_instalment(world: Any) -> None:
    k, w, ids = world
    inv = w["invoice"]
    cid = new_cheque(k, w, "2002", "2000000000000002", 24_000_000, jdate(1405, 7, 30))
    pay(k, w, inv, "cheque", None, ids[1], cheque_id=cid)
    _bounce_then_clear(k, w, cid, lambda: pay(k, w, inv, "cash", 24_000_000, ids[1], on=jdate(1405, 8, 1)))
    balance, states = _plan(k, inv)
    assert balance == TOTAL - 72_000_000
    assert [s for s, _ in states] == ["paid", "paid", "paid", "open", "open"]
    assert not [t for t, _ in alarms_of(k, w["boss_id"]) if "قسط بازی" in t]  # all of it found a place


def test_nothing_left_open_nothing_received_and_the_owner_is_told(world: Any) -> None:
    k, w, ids = world
    inv = w["invoice"]
    cid = new_cheque(k, w, "2003", "2000000000000003", 24_000_000, jdate(1405, 7, 30))
    pay(k, w, inv, "cheque", None, ids[1], cheque_id=cid)

    def everything_paid() -> None:
        pay(k, w, inv, "cash", 96_000_000, *ids[1:], on=jdate(1405, 8, 1))

    _bounce_then_clear(k, w, cid, everything_paid)
    balance, states = _plan(k, inv)
    assert balance == 0 and all(s == "paid" for s, _ in states)
    with k.sessions() as s:
        assert s.get(Invoice, inv).received == TOTAL  # no credit kept: the cheque's money is not received
        assert s.scalars(select(Payment.state).where(Payment.cheque_id == cid)).all() == ["bounced"]
        assert s.scalar(select(Cheque.state).where(Cheque.id == cid)) == "cleared"
    titles = [t for t, _ in alarms_of(k, w["boss_id"])]
    assert any("2003" in t and "۲۴٬۰۰۰٬۰۰۰" in t and "قسط بازی" in t for t in titles), titles
