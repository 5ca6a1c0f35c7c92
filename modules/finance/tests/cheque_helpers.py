"""Shared set-up of the cheques' tests: a customer in Isfahan and one in Tehran, a supplier, one
of our bank accounts, a clerk who sees everything and one limited to Isfahan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from kernel.testing import actor_of, create_record, create_user
from modules.finance.banking_codes import with_check_digits
from modules.finance.models import Bank
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.report_helpers import two_provinces

PERMS = ("finance.cheque.*", "finance.cheque.change_state", "finance.bank.view", "finance.bank_account.*",
         "finance.pos_terminal.*", "finance.invoice.view", "base.partner.*")
RECEIVED = jdate(1405, 2, 1)
DUE = jdate(1405, 3, 15)


def bank_id(kernel: Any, code: str) -> int:
    with kernel.sessions() as s:
        return int(s.scalars(select(Bank.id).where(Bank.iban_code == code)).one())


def cheque_world(kernel: Any, perms: tuple[str, ...] = PERMS) -> dict[str, Any]:
    from modules.base.models import PartnerRole

    isf_id, teh_id, boss, clerk = two_provinces(kernel, perms)
    viewer = create_user(kernel, "viewer", perms=("finance.cheque.view", "base.partner.view"))
    w: dict[str, Any] = {
        "boss": actor_of(kernel, boss), "isf": actor_of(kernel, clerk), "viewer": actor_of(kernel, viewer),
        "boss_id": boss,
        "gaz": create_record(kernel, None, "base.partner", kind="company", name="گز اصفهان", province_id=isf_id),
        "vanak": create_record(kernel, None, "base.partner", kind="company", name="ونک تجارت", province_id=teh_id),
        "supplier": create_record(kernel, None, "base.partner", kind="company", name="نخ‌ریسی یزد",
                                  province_id=isf_id),
        "mellat": bank_id(kernel, "012"),
    }
    with kernel.session() as s:
        s.add(PartnerRole(partner_id=w["supplier"], role="supplier"))
    w["account"] = create_record(kernel, None, "finance.bank_account", title="جاری ملت مرکزی",
                                 iban=with_check_digits("012", "0000000001234567890"))
    return w


def cheque(kernel: Any, user_id: int | None, partner: int, bank: int, number: str = "123456",
           sayad: str | None = "1234567890123456", amount: int = 50_000_000, due: dt.date = DUE,
           **more: Any) -> int:
    return create_record(kernel, user_id, "finance.cheque", partner_id=partner, bank_id=bank, number=number,
                         sayad_id=sayad, amount=amount, due_date=due, received_on=RECEIVED, issuer="رضا محمدی",
                         **more)
