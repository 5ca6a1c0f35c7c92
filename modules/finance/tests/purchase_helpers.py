"""Shared set-up of the purchases' tests: a clerk allowed purchases, payments, cheques and
invoices; a supplier (a partner with the supplier role), a customer, a carpet and our account."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kernel.testing import actor_of, create_record, create_user
from modules.finance.banking_codes import with_check_digits
from modules.finance.services import purchases
from modules.finance.services.issuing import invoice_directly
from modules.finance.tests.finance_helpers import jdate

PERMS = ("finance.purchase.*", "finance.purchase.post", "finance.purchase_payment.*", "finance.own_cheque.*",
         "finance.cheque.*", "finance.cheque.change_state", "finance.invoice.*", "finance.receipt.*",
         "finance.product.view", "finance.price.override", "finance.bank_account.view", "finance.bank.view", "base.partner.*",
         "finance.profit_per_product.report", "finance.payables.report")
DAY = jdate(1405, 2, 1)


def purchase_world(kernel: Any, perms: tuple[str, ...] = PERMS) -> dict[str, Any]:
    from modules.base.models import PartnerRole

    uid = create_user(kernel, "sara", perms=perms)
    w: dict[str, Any] = {
        "uid": uid, "actor": actor_of(kernel, uid),
        "supplier": create_record(kernel, None, "base.partner", kind="company", name="نخ‌ریسی یزد"),
        "customer": create_record(kernel, None, "base.partner", kind="company", name="فرش کاشان"),
        "carpet": create_record(kernel, None, "finance.product", name="فرش ۷۰۰ شانه", kind="goods", price=2_000),
        "rug": create_record(kernel, None, "finance.product", name="گلیم", kind="goods", price=5_000),
    }
    with kernel.session() as s:
        s.add(PartnerRole(partner_id=w["supplier"], role="supplier"))
    w["account"] = create_record(kernel, None, "finance.bank_account", title="جاری ملت مرکزی",
                                 iban=with_check_digits("012", "0000000001234567890"))
    return w


def buy(kernel: Any, w: dict[str, Any], lines: list[tuple[int, str, int]], on: dt.date = DAY,
        post: bool = True) -> int:
    """A purchase of ``lines`` (product, quantity, unit cost), posted unless asked not to."""
    actor = w["actor"]
    with kernel.session(actor) as s:
        doc = purchases.create_purchase(kernel, s, actor, {"partner_id": w["supplier"], "date": on,
                                                           "supplier_number": "F-12"},
                                        [{"product_id": p, "quantity": q, "unit_cost": c} for p, q, c in lines])
        if post:
            purchases.post(kernel, s, actor, doc.id)
        return int(doc.id)


def sell(kernel: Any, w: dict[str, Any], lines: list[tuple[int, str, int]], on: dt.date = DAY) -> int:
    """An issued invoice of ``lines`` (product, quantity, unit price)."""
    actor = w["actor"]
    with kernel.session(actor) as s:
        inv = invoice_directly(kernel, s, actor, {"partner_id": w["customer"], "date": on},
                               [{"product_id": p, "quantity": q, "unit_price": c} for p, q, c in lines])
        return int(inv.id)


def cost_of(kernel: Any, product: int) -> tuple[Decimal, int, bool]:
    from modules.finance.services import average_cost

    with kernel.sessions() as s:
        return average_cost.of(s, product)
