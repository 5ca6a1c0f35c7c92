"""Shared set-up of the fiscal year's tests: a year 1404 with open and settled invoices, a plan
with unpaid instalments, a cheque in the safe and an open proforma (today is later than 1404 on
any machine running these tests, so 1404 has ended)."""

from __future__ import annotations

from typing import Any

from kernel.testing import create_record
from modules.finance.services import cheques, issuing, purchase_payments, purchases, receipts
from modules.finance.services.drafts import create_document
from modules.finance.tests.cheque_helpers import PERMS as CHEQUE_PERMS
from modules.finance.tests.cheque_helpers import cheque_world
from modules.finance.tests.finance_helpers import PROFORMA, jdate
from modules.finance.tests.plan_helpers import make_plan, pay

PERMS = (*CHEQUE_PERMS, "finance.invoice.*", "finance.invoice.plan", "finance.receipt.*", "finance.product.view",
         "finance.proforma.*", "finance.fiscal_year.close", "finance.fiscal_year.view",
         "finance.fiscal_opening.view", "finance.fiscal_opening.export", "finance.fiscal_carry.view",
         "finance.purchase.*", "finance.purchase.post", "finance.purchase_payment.*")
PRICE = 10_000_000


def invoice_on(kernel: Any, w: dict[str, Any], partner: str, day: Any) -> int:
    with kernel.session(w["boss"]) as s:
        inv = issuing.invoice_directly(kernel, s, w["boss"], {"partner_id": w[partner], "date": day},
                                       [{"product_id": w["product"], "quantity": "1"}])
        return int(inv.id)


def receive(kernel: Any, w: dict[str, Any], invoice_id: int, amount: int, day: Any) -> int:
    with kernel.session(w["boss"]) as s:
        return int(receipts.receive_cash(kernel, s, w["boss"], invoice_id, amount, day).id)


def draft_proforma(kernel: Any, w: dict[str, Any], partner: str, day: Any) -> int:
    with kernel.session(w["boss"]) as s:
        return int(create_document(kernel, s, w["boss"], PROFORMA, {"partner_id": w[partner], "date": day},
                                   [{"product_id": w["product"], "quantity": "1"}]).id)


def supplier_too(kernel: Any, partner: int) -> None:
    """``partner`` gets the supplier role (it may sell to us as well as buy)."""
    from modules.base.models import PartnerRole

    with kernel.session() as s:
        s.add(PartnerRole(partner_id=partner, role="supplier"))


def purchase_on(kernel: Any, w: dict[str, Any], partner: int, day: Any, cost: int, post: bool = True) -> int:
    """A purchase of one tax-exempt service at ``cost`` (its grand total), posted unless asked not to."""
    with kernel.session(w["boss"]) as s:
        doc = purchases.create_purchase(kernel, s, w["boss"], {"partner_id": partner, "date": day,
                                                                "supplier_number": "F-7"},
                                        [{"product_id": w["product"], "quantity": "1", "unit_cost": cost}])
        if post:
            purchases.post(kernel, s, w["boss"], doc.id)
        return int(doc.id)


def pay_supplier(kernel: Any, w: dict[str, Any], purchase_id: int, amount: int, day: Any) -> int:
    with kernel.session(w["boss"]) as s:
        return int(purchase_payments.pay(kernel, s, w["boss"], purchase_id, amount, day, "cash").id)


def fiscal_world(kernel: Any) -> dict[str, Any]:
    """1404 of two customers:

    * ``inv1`` (گز اصفهان, 1404/10/01, 10,000,000): 4,000,000 received on 1404/11/01 → 6,000,000 open;
    * ``inv2`` (ونک تجارت, 1404/12/01, 10,000,000): a plan of 2,000,000 cash (paid) and two
      instalments of 4,000,000 (1404/12/20 and 1405/01/20), unpaid → 8,000,000 open;
    * ``inv3`` (گز اصفهان, 1404/09/01): settled on 1404/09/02;
    * a cheque of گز اصفهان received 1404/11/10, due 1405/02/10, in the safe;
    * a proforma of ونک تجارت issued on 1404/12/10, still open.
    """
    w = cheque_world(kernel, PERMS)
    w["product"] = create_record(kernel, None, "finance.product", name="خدمات نصب", kind="service", price=PRICE,
                                 tax_exempt=True)
    w["inv1"] = invoice_on(kernel, w, "gaz", jdate(1404, 10, 1))
    receive(kernel, w, w["inv1"], 4_000_000, jdate(1404, 11, 1))
    w["inv2"] = invoice_on(kernel, w, "vanak", jdate(1404, 12, 1))
    w["instalments"] = make_plan(kernel, w, w["inv2"], cash=2_000_000, count=2, first=jdate(1404, 12, 20))
    pay(kernel, w, w["inv2"], "cash", 2_000_000, w["instalments"][0], on=jdate(1404, 12, 5))
    w["inv3"] = invoice_on(kernel, w, "gaz", jdate(1404, 9, 1))
    receive(kernel, w, w["inv3"], PRICE, jdate(1404, 9, 2))
    w["cheque"] = create_record(kernel, w["boss_id"], "finance.cheque", partner_id=w["gaz"], bank_id=w["mellat"],
                                number="778899", sayad_id="1111222233334444", amount=3_000_000,
                                due_date=jdate(1405, 2, 10), received_on=jdate(1404, 11, 10), issuer="رضا محمدی")
    with kernel.session(w["boss"]) as s:
        cheques.change_state(kernel, s, w["boss"], w["cheque"], "in_safe", on=jdate(1404, 11, 11))
    w["proforma"] = draft_proforma(kernel, w, "vanak", jdate(1404, 12, 10))
    with kernel.session(w["boss"]) as s:
        issuing.issue_proforma(kernel, s, w["boss"], w["proforma"])
    return w
