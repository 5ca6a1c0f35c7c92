"""After 1404 is closed nothing is created, issued, edited, voided or paid with a date in it
(FIN-16): each service refuses with the closed year named in Persian and changes nothing, while
the same documents dated in 1405 — and 1404's open items paid in 1405 — go through. SQLite and
PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.records import FormErrors, create_record, delete_record, update_record
from modules.finance.models import Cheque, Invoice, Payment, Proforma, Receipt
from modules.finance.services import cheques, drafts, fiscal_close, issuing, payments, receipts
from modules.finance.services.payments import PaymentInput
from modules.finance.tests.finance_helpers import INVOICE, PROFORMA, jdate
from modules.finance.tests.fiscal_helpers import draft_proforma, fiscal_world, receive

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
CLOSED = "سال مالی ۱۴۰۴ بسته شده است"


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _said(kernel: Any, exc: FormErrors) -> str:
    return " ".join(kernel.t("fa", e.msgid, **e.params) for e in exc.errors.values())


def _counts(kernel: Any) -> tuple[int, ...]:
    with kernel.sessions() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) or 0
                     for m in (Proforma, Invoice, Receipt, Payment))


def test_the_closed_year_refuses_every_dated_write(kernel: Any) -> None:
    w = fiscal_world(kernel)
    boss = w["boss"]
    pf_1405 = draft_proforma(kernel, w, "gaz", jdate(1405, 1, 3))  # before the close: a new-year draft
    with kernel.session(boss) as s:
        fiscal_close.close(kernel, s, boss, 1404)
    before = _counts(kernel)
    day = jdate(1404, 12, 25)
    refusals = {
        "a new proforma": lambda s: drafts.create_document(kernel, s, boss, PROFORMA,
                                                           {"partner_id": w["gaz"], "date": day},
                                                           [{"product_id": w["product"], "quantity": "1"}]),
        "a direct invoice": lambda s: issuing.invoice_directly(kernel, s, boss, {"partner_id": w["gaz"], "date": day},
                                                               [{"product_id": w["product"], "quantity": "1"}]),
        "a draft moved into 1404": lambda s: update_record(
            kernel, s, boss, kernel.resources["finance.proforma"], pf_1405, {"date": day}),
        "a line of a 1404 invoice": lambda s: drafts.add_line(kernel, s, boss, INVOICE, w["inv1"],
                                                              {"product_id": w["product"], "quantity": "1"}),
        "voiding a 1404 invoice": lambda s: issuing.void_invoice(kernel, s, boss, w["inv2"], "اشتباه"),
        "converting a 1404 proforma": lambda s: issuing.convert(kernel, s, boss, w["proforma"]),
        "cash dated in 1404": lambda s: receipts.receive_cash(
            kernel, s, boss, w["inv1"], 1_000_000, day),
        "a plan payment dated in 1404": lambda s: payments.record(
            kernel, s, boss, w["inv2"], PaymentInput(kind="cash", amount=1_000_000, on=day)),
        "a cheque's change dated in 1404": lambda s: cheques.change_state(
            kernel, s, boss, w["cheque"], "deposited", on=day, account_id=w["account"]),
        "a cheque received in 1404": lambda s: create_record(
            kernel, s, boss, kernel.resources["finance.cheque"],
            {"partner_id": w["gaz"], "bank_id": w["mellat"], "number": "1", "sayad_id": "5555666677778888",
             "amount": 1_000, "due_date": jdate(1405, 3, 1), "received_on": day, "issuer": "علی"}),
    }
    for what, write in refusals.items():
        with pytest.raises(FormErrors) as refused, kernel.session(boss) as s:
            write(s)
        text = _said(kernel, refused.value)
        assert CLOSED in text, (what, text)
    assert _counts(kernel) == before
    with kernel.sessions() as s:
        assert s.get(Invoice, w["inv2"]).state == "issued" and s.get(Proforma, w["proforma"]).state == "issued"
        assert s.get(Cheque, w["cheque"]).state == "in_safe"
    # A 1404 receipt cannot leave the ledger of the closed year through the recycle bin either.
    with kernel.sessions() as s:
        rid = s.scalars(select(Receipt.id).where(Receipt.invoice_id == w["inv1"])).one()
    with pytest.raises(FormErrors), kernel.session(boss) as s:
        delete_record(kernel, s, boss, kernel.resources["finance.receipt"], rid)
    with kernel.sessions() as s:
        assert s.get(Receipt, rid).deleted_at is None


def test_the_new_year_goes_on_and_pays_the_old_years_items(kernel: Any) -> None:
    w = fiscal_world(kernel)
    with kernel.session(w["boss"]) as s:
        fiscal_close.close(kernel, s, w["boss"], 1404)
    day = jdate(1405, 1, 15)
    receive(kernel, w, w["inv1"], 1_000_000, day)  # a carried invoice paid in the new year
    with kernel.session(w["boss"]) as s:
        payments.record(kernel, s, w["boss"], w["inv2"], PaymentInput(kind="cash", amount=4_000_000, on=day))
        cheques.change_state(kernel, s, w["boss"], w["cheque"], "deposited", on=day, account_id=w["account"])
        doc = drafts.create_document(kernel, s, w["boss"], PROFORMA, {"partner_id": w["gaz"], "date": day},
                                     [{"product_id": w["product"], "quantity": "1"}])
        issuing.issue_proforma(kernel, s, w["boss"], doc.id)
        # A proforma carried from 1404 cannot be converted any more (its invoice would be dated in
        # 1404): it can be cancelled, which touches no money.
        issuing.cancel_proforma(kernel, s, w["boss"], w["proforma"], "مشتری پیش‌فاکتور تازه خواست")
    with kernel.sessions() as s:
        assert s.get(Proforma, w["proforma"]).state == "cancelled"
        assert s.get(Invoice, w["inv1"]).balance == 5_000_000
        assert s.get(Invoice, w["inv2"]).balance == 4_000_000
        assert s.get(Proforma, doc.id).number == "PF-1405-00001"


def test_purchases_are_guarded_too(make_kernel: Any) -> None:
    """The supplier side (FIN-18) keeps the closed year as the sales side does: a purchase dated in
    it is neither written nor posted, a posted one is not voided, nothing is paid with a date in it —
    and a 1404 purchase is paid in 1405."""
    from modules.finance.models import Purchase, PurchasePayment
    from modules.finance.services import purchase_payments, purchases
    from modules.finance.tests.purchase_helpers import PERMS as PURCHASE_PERMS
    from modules.finance.tests.purchase_helpers import buy, purchase_world

    kernel = make_kernel(edition="tier3")
    w = purchase_world(kernel, perms=(*PURCHASE_PERMS, "finance.fiscal_year.close"))
    actor = w["actor"]
    day = jdate(1404, 12, 25)
    posted = buy(kernel, w, [(w["carpet"], "10", 1_000)], on=jdate(1404, 12, 1))
    with kernel.session(actor) as s:
        fiscal_close.close(kernel, s, actor, 1404)
    refusals = {
        "a purchase dated in 1404": lambda s: purchases.create_purchase(
            kernel, s, actor, {"partner_id": w["supplier"], "date": day, "supplier_number": "F-9"}),
        "voiding a 1404 purchase": lambda s: purchases.void(kernel, s, actor, posted, "اشتباه"),
        "cash to the supplier dated in 1404": lambda s: purchase_payments.pay(
            kernel, s, actor, posted, 1_000, day, "cash"),
    }
    for what, write in refusals.items():
        with pytest.raises(FormErrors) as refused, kernel.session(actor) as s:
            write(s)
        assert CLOSED in _said(kernel, refused.value), what
    with kernel.sessions() as s:
        assert s.get(Purchase, posted).state == "posted"
        assert s.scalar(select(func.count()).select_from(PurchasePayment)) == 0
    with kernel.session(actor) as s:
        purchase_payments.pay(kernel, s, actor, posted, 1_000, jdate(1405, 1, 10), "cash")
    with kernel.sessions() as s:
        assert s.get(Purchase, posted).paid == 1_000
