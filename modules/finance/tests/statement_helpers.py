"""Shared set-up of the statement and ageing tests: the payment plans' world (customers in
Isfahan and Tehran, a clerk limited to Isfahan, our account, a POS terminal, an invoice of
120,000,000 Rials for the Isfahan customer on 1405/06/31) with the statement's permissions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from modules.finance.services import cheques, issuing, receipts
from modules.finance.services.statement import Statement, statement
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.plan_helpers import PERMS as PLAN_PERMS
from modules.finance.tests.plan_helpers import invoice, make_plan, new_cheque, pay, plan_world

PERMS = (*PLAN_PERMS, "finance.ageing.report", "finance.receivables.report")


def statement_of(kernel: Any, actor: Any, partner: int, first: dt.date, last: dt.date) -> Statement:
    with kernel.sessions() as s:
        return statement(kernel, s, actor, partner, first, last)


def cash(kernel: Any, actor: Any, invoice_id: int, amount: int, on: dt.date) -> None:
    with kernel.session(actor) as s:
        receipts.receive_cash(kernel, s, actor, invoice_id, amount, on)


def void(kernel: Any, actor: Any, invoice_id: int) -> None:
    with kernel.session(actor) as s:
        issuing.void_invoice(kernel, s, actor, invoice_id, "اشتباه در صدور")


def move_cheque(kernel: Any, actor: Any, cheque_id: int, *states: str, on: dt.date | None = None) -> None:
    for to in states:
        with kernel.session(actor) as s:
            cheques.change_state(kernel, s, actor, cheque_id, to, on=on)


def statement_world(kernel: Any) -> dict[str, Any]:
    return plan_world(kernel, PERMS)


def year_of_movements(k: Any, w: dict[str, Any]) -> dict[str, int]:
    """Last year's invoice partly paid this year, a voided invoice, this year's invoice with a
    plan paid by cash, a slip, POS, a cleared cheque; a cheque in hand and a promise."""
    old = invoice(k, w, day=jdate(1404, 12, 10))
    cash(k, w["boss"], old, 20_000_000, jdate(1405, 1, 15))
    voided = invoice(k, w, day=jdate(1405, 3, 1))
    void(k, w["boss"], voided)
    inv = w["invoice"]
    ids = make_plan(k, w, inv)
    pay(k, w, inv, "cash", 24_000_000, ids[0], on=jdate(1405, 7, 1))
    pay(k, w, inv, "slip", 4_000_000, ids[1], on=jdate(1405, 7, 2), slip_number="۵۵۱۲", account_id=w["account"])
    pay(k, w, inv, "pos", 5_000_000, ids[1], on=jdate(1405, 7, 2), terminal_id=w["pos"], trace_number="۷۷۸۸")
    cleared = new_cheque(k, w, "111222", "1000000000000001", 15_000_000, jdate(1405, 8, 1))
    pay(k, w, inv, "cheque", 15_000_000, ids[1], cheque_id=cleared)
    move_cheque(k, w["boss"], cleared, "deposited", "cleared", on=jdate(1405, 8, 2))
    held = new_cheque(k, w, "333444", "1000000000000002", 24_000_000, jdate(1405, 9, 30))
    pay(k, w, inv, "cheque", 24_000_000, ids[2], cheque_id=held)
    pay(k, w, inv, "promise", 10_000_000, ids[3], on=jdate(1405, 10, 30))
    other = invoice(k, w, partner="vanak", day=jdate(1405, 2, 1))  # another customer's: never on gaz's
    return {"old": old, "voided": voided, "inv": inv, "cleared": cleared, "held": held, "other": other}
