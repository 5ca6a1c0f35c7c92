"""Shared set-up of the payment plans' tests: the cheques' world (customers in Isfahan and
Tehran, our account, a clerk who sees everything and one limited to Isfahan) with a POS terminal
and an issued invoice of 120,000,000 Rials (one VAT-exempt line) for the Isfahan customer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kernel.testing import create_record
from modules.finance.services import issuing, payments, plans
from modules.finance.services.payments import PaymentInput
from modules.finance.tests.cheque_helpers import PERMS as CHEQUE_PERMS
from modules.finance.tests.cheque_helpers import cheque, cheque_world
from modules.finance.tests.finance_helpers import jdate

PERMS = (*CHEQUE_PERMS, "finance.invoice.*", "finance.invoice.plan", "finance.receipt.*", "finance.product.view")
TOTAL = 120_000_000
INVOICE_DAY = jdate(1405, 6, 31)


def plan_world(kernel: Any, perms: tuple[str, ...] = PERMS) -> dict[str, Any]:
    w = cheque_world(kernel, perms)  # the clerks also hold the invoices, receipts and plans
    w["pos"] = create_record(kernel, None, "finance.pos_terminal", name="کارتخوان فروشگاه", terminal_id="T-1001",
                             provider="به‌پرداخت ملت", account_id=w["account"])
    w["product"] = create_record(kernel, None, "finance.product", name="خدمات نصب", kind="service", price=TOTAL,
                                 tax_exempt=True)
    w["invoice"] = invoice(kernel, w)
    return w


def invoice(kernel: Any, w: dict[str, Any], partner: str = "gaz", day: dt.date = INVOICE_DAY) -> int:
    with kernel.session(w["boss"]) as s:
        inv = issuing.invoice_directly(kernel, s, w["boss"], {"partner_id": w[partner], "date": day},
                                       [{"product_id": w["product"], "quantity": "1"}])
        return int(inv.id)


def make_plan(kernel: Any, w: dict[str, Any], invoice_id: int, cash: int = 24_000_000, count: int = 4,
              first: dt.date | None = None) -> list[int]:
    with kernel.session(w["boss"]) as s:
        rows = plans.generate(kernel, s, w["boss"], invoice_id, cash=cash, count=count,
                              first=first or jdate(1405, 7, 30))
        return [r.id for r in rows]


def pay(kernel: Any, w: dict[str, Any], invoice_id: int, kind: str, amount: int | None, *instalments: int,
        actor: str = "boss", **details: Any) -> int:
    with kernel.session(w[actor]) as s:
        return int(payments.record(kernel, s, w[actor], invoice_id,
                                   PaymentInput(kind=kind, amount=amount, instalment_ids=list(instalments),
                                                on=details.pop("on", jdate(1405, 7, 1)), **details)).id)


def new_cheque(kernel: Any, w: dict[str, Any], number: str, sayad: str, amount: int, due: dt.date) -> int:
    return cheque(kernel, w["boss_id"], w["gaz"], w["mellat"], number=number, sayad=sayad, amount=amount, due=due)


def planned_with_cheques(kernel: Any, w: dict[str, Any], n: int, prefix: str,
                         partner: str = "gaz") -> tuple[int, list[int], list[int]]:
    """One example of the plans' property tests: a new invoice with the default plan and three
    cheques of 30,000,000 Rials in hand, numbered from ``prefix`` and the example's serial ``n``."""
    inv = invoice(kernel, w, partner=partner)
    chqs = [new_cheque(kernel, w, f"{prefix}{n}{i}", f"{n:013d}{i:03d}", 30_000_000, jdate(1405, 8, 1))
            for i in range(3)]
    return inv, make_plan(kernel, w, inv), chqs
