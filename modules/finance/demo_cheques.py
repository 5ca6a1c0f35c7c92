"""Demo bank accounts, a POS terminal and cheques in different states (``peyvand init --demo``):
received, in the safe, deposited, cleared, bounced and endorsed to a supplier, due around today
so the calendar and the cash-in per week have something in them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from kernel import security
from kernel.actor import SYSTEM
from kernel.models import User
from kernel.records import create_record
from kernel.timezone import local_today
from modules.base.models import Partner, PartnerRole
from modules.finance.banking_codes import with_check_digits
from modules.finance.demo_documents import demo_customers
from modules.finance.models import Bank
from modules.finance.services.cheques import change_state

# (customer index, amount, days from today to the due date, the moves it has been through)
CHEQUES = ((0, 120_000_000, 12, ()), (1, 45_000_000, 5, ("in_safe",)), (2, 80_000_000, -2, ("deposited",)),
           (3, 30_000_000, -10, ("deposited", "cleared")), (0, 65_000_000, -6, ("deposited", "bounced")),
           (1, 52_000_000, 20, ("endorsed",)))


def load_cheques(kernel: Any, session: Any) -> str:
    admin_id = session.scalars(select(User.id).where(User.is_admin.is_(True)).order_by(User.id)).first()
    customers = demo_customers(session)
    actor = security.load_actor(session, admin_id) if admin_id is not None else None
    if actor is None or not customers:
        return "no administrator or customer yet: no cheques"
    banks = {b.iban_code: b.id for b in session.scalars(select(Bank))}

    def add(resource: str, **values: Any) -> int:
        return int(create_record(kernel, session, SYSTEM, kernel.resources[resource], values).id)

    mellat = add("finance.bank_account", title="جاری ملت شعبه مرکزی", iban=with_check_digits("012", "4410021877"),
                 account_number="4410021877", branch="مرکزی", holder="شرکت نمونه")
    add("finance.bank_account", title="جاری سامان", iban=with_check_digits("056", "84980012345671"),
        account_number="849-800-1234567-1", holder="شرکت نمونه")
    add("finance.pos_terminal", name="کارتخوان فروشگاه", terminal_id="61234567", provider="به‌پرداخت ملت",
        account_id=mellat)
    supplier = session.scalar(select(Partner.id).join(PartnerRole, PartnerRole.partner_id == Partner.id)
                              .where(PartnerRole.role == "supplier", Partner.deleted_at.is_(None)).order_by(Partner.id))
    today = local_today(kernel.config.timezone)
    made = 0
    for i, (who, amount, due_in, moves) in enumerate(CHEQUES):
        if "endorsed" in moves and supplier is None:
            continue
        due = today + dt.timedelta(days=due_in)
        received = min(today, due) - dt.timedelta(days=15)
        cheque = add("finance.cheque", partner_id=customers[who % len(customers)], amount=amount,
                     number=f"{735120 + i}", sayad_id=f"{1400_5312_0000_0000 + 7919 * (i + 1)}",
                     bank_id=banks[("012", "017", "018", "056", "054", "057")[i]], branch="مرکزی",
                     due_date=due, received_on=received, issuer="محمد رضایی")
        for step, to in enumerate(moves):
            on = received + dt.timedelta(days=step + 1) if to != "cleared" and to != "bounced" else max(due, received)
            change_state(kernel, session, actor, cheque, to, on=min(on, today), account_id=mellat if to == "deposited"
                         else None, endorsed_to_id=supplier if to == "endorsed" else None,
                         note="برگشت به علت کسری موجودی" if to == "bounced" else None)
        made += 1
    return f"2 bank accounts, 1 POS terminal and {made} cheques added"
