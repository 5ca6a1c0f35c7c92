"""Purchase invoices (FIN-18): draft → posted (numbered PUR-…, taxes of its date) → void; bad
input refused in Persian on its field with nothing changed; payments in cash, by transfer, by a
customer's cheque endorsed to the supplier and by our own cheque, never above what is open; a
bounced cheque re-opens what it paid. Both engines for the money paths."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from kernel import Conflict
from kernel.records import FormErrors
from modules.finance.models import OwnCheque, Purchase, PurchaseLine, PurchasePayment, StockMove
from modules.finance.services import cheques, own_cheques, purchase_payments, purchases
from modules.finance.tests.cheque_helpers import cheque
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.purchase_helpers import DAY, buy, purchase_world

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _fa(kernel: Any, exc: FormErrors) -> dict[str, str]:
    return {k: kernel.t("fa", v.msgid, **v.params) for k, v in exc.errors.items()}


def _purchase(kernel: Any, pid: int) -> Purchase:
    with kernel.sessions() as s:
        doc = s.get(Purchase, pid)
        s.expunge(doc)
        return doc


def _counts(kernel: Any) -> tuple[int, ...]:
    with kernel.sessions() as s:
        return tuple(int(s.scalar(select(func.count()).select_from(m)) or 0)
                     for m in (Purchase, PurchaseLine, PurchasePayment, StockMove, OwnCheque))


def test_posting_numbers_it_and_keeps_the_taxes_of_its_date(kernel: Any) -> None:
    w = purchase_world(kernel)
    pid = buy(kernel, w, [(w["carpet"], "10", 1_000), (w["rug"], "2", 3_000)], post=False)
    doc = _purchase(kernel, pid)
    assert doc.state == "draft" and doc.number is None and doc.grand_total == 17_600  # 16,000 + VAT 10 %
    with kernel.session(w["actor"]) as s:
        purchases.post(kernel, s, w["actor"], pid)
    doc = _purchase(kernel, pid)
    assert doc.state == "posted" and doc.number == "PUR-1405-00001" and doc.balance == 17_600
    with pytest.raises(Conflict), kernel.session(w["actor"]) as s:
        purchases.post(kernel, s, w["actor"], pid)
    with pytest.raises(Conflict), kernel.session(w["actor"]) as s:
        purchases.add_lines(kernel, s, w["actor"], pid, [{"product_id": w["carpet"], "quantity": "1",
                                                          "unit_cost": "1"}])


def test_bad_input_is_refused_in_persian_and_nothing_changes(kernel: Any) -> None:
    w = purchase_world(kernel)
    before = _counts(kernel)
    actor = w["actor"]
    with pytest.raises(FormErrors) as bad, kernel.session(actor) as s:
        purchases.create_purchase(kernel, s, actor, {"partner_id": w["customer"], "date": DAY})
    assert "تأمین" in _fa(kernel, bad.value)["partner_id"]
    with pytest.raises(FormErrors) as bad, kernel.session(actor) as s:
        purchases.create_purchase(kernel, s, actor, {"partner_id": w["supplier"], "date": DAY},
                                  [{"product_id": w["carpet"], "quantity": "ده", "unit_cost": "-5"}])
    errors = _fa(kernel, bad.value)
    assert set(errors) >= {"quantity"} and all(any("\u0600" <= ch <= "\u06ff" for ch in m) for m in errors.values())
    with pytest.raises(FormErrors) as bad, kernel.session(actor) as s:
        purchases.create_purchase(kernel, s, actor, {"partner_id": w["supplier"], "date": DAY},
                                  [{"product_id": w["carpet"], "quantity": "2", "unit_cost": "-5"}])
    assert "منفی" in _fa(kernel, bad.value)["unit_cost"]
    assert _counts(kernel) == before


def test_cash_and_transfer_payments_and_overpayment_refused(kernel: Any) -> None:
    w = purchase_world(kernel)
    actor = w["actor"]
    pid = buy(kernel, w, [(w["carpet"], "10", 1_000)])  # 11,000 with VAT
    with kernel.session(actor) as s:
        purchase_payments.pay(kernel, s, actor, pid, 4_000, DAY, "cash")
        purchase_payments.pay(kernel, s, actor, pid, 5_000, DAY, "transfer", account_id=w["account"],
                              reference="TR-99")
    assert (_purchase(kernel, pid).paid, _purchase(kernel, pid).balance) == (9_000, 2_000)
    before = _counts(kernel)
    with pytest.raises(FormErrors) as bad, kernel.session(actor) as s:
        purchase_payments.pay(kernel, s, actor, pid, 2_001, DAY, "cash")
    assert "۲٬۰۰۰" in _fa(kernel, bad.value)["amount"]
    with pytest.raises(FormErrors) as bad, kernel.session(actor) as s:
        purchase_payments.pay(kernel, s, actor, pid, 1_000, DAY, "transfer")
    assert "account_id" in bad.value.errors
    assert _counts(kernel) == before and _purchase(kernel, pid).balance == 2_000
    with pytest.raises(Conflict), kernel.session(actor) as s:
        purchases.void(kernel, s, actor, pid, "اشتباه")  # paid: payments go first


def test_payment_against_a_draft_is_refused(kernel: Any) -> None:
    w = purchase_world(kernel)
    pid = buy(kernel, w, [(w["carpet"], "1", 1_000)], post=False)
    with pytest.raises(FormErrors) as bad, kernel.session(w["actor"]) as s:
        purchase_payments.pay(kernel, s, w["actor"], pid, 100, DAY, "cash")
    assert "purchase_id" in bad.value.errors


def test_endorsed_customer_cheque_pays_and_its_bounce_reopens(kernel: Any) -> None:
    from modules.finance.tests.cheque_helpers import bank_id

    w = purchase_world(kernel)
    actor = w["actor"]
    pid = buy(kernel, w, [(w["carpet"], "10", 10_000)])  # 110,000
    big = cheque(kernel, w["uid"], w["customer"], bank_id(kernel, "012"), number="1", sayad="1111222233334444",
                 amount=200_000, due=jdate(1405, 3, 1))
    small = cheque(kernel, w["uid"], w["customer"], bank_id(kernel, "012"), number="2", sayad="1111222233335555",
                   amount=60_000, due=jdate(1405, 3, 1))
    with pytest.raises(FormErrors) as bad, kernel.session(actor) as s:  # more than is open: nothing happens
        cheques.change_state(kernel, s, actor, big, "endorsed", on=DAY, endorsed_to_id=w["supplier"],
                             purchase_id=pid)
    assert "purchase_id" in bad.value.errors
    with kernel.sessions() as s:
        from modules.finance.models import Cheque

        assert s.get(Cheque, big).state == "received"
    with kernel.session(actor) as s:
        cheques.change_state(kernel, s, actor, small, "endorsed", on=DAY, endorsed_to_id=w["supplier"],
                             purchase_id=pid)
    assert _purchase(kernel, pid).balance == 50_000
    with kernel.session(actor) as s:
        cheques.change_state(kernel, s, actor, small, "bounced", on=jdate(1405, 3, 2))
    doc = _purchase(kernel, pid)
    assert (doc.paid, doc.balance) == (0, 110_000)


def test_our_own_cheque_pays_and_bounced_or_returned_reopens(kernel: Any) -> None:
    w = purchase_world(kernel)
    actor = w["actor"]
    pid = buy(kernel, w, [(w["carpet"], "10", 10_000)])  # 110,000
    with pytest.raises(FormErrors) as bad, kernel.session(actor) as s:
        own_cheques.give(kernel, s, actor, pid, amount=10_000, on=DAY, account_id=w["account"], number="",
                         due_date=jdate(1405, 1, 1), sayad_id="12ab")
    assert set(bad.value.errors) == {"number", "due_date", "sayad_id"}
    with kernel.session(actor) as s:
        pay = own_cheques.give(kernel, s, actor, pid, amount=100_000, on=DAY, account_id=w["account"],
                               number="۷۷۸۸", due_date=jdate(1405, 4, 1), sayad_id="1234567890123456")
        own = int(pay.own_cheque_id or 0)
    assert _purchase(kernel, pid).balance == 10_000
    with pytest.raises(FormErrors), kernel.session(actor) as s:
        own_cheques.give(kernel, s, actor, pid, amount=10_001, on=DAY, account_id=w["account"], number="9",
                         due_date=jdate(1405, 4, 1))
    with kernel.session(actor) as s:
        own_cheques.change(kernel, s, actor, own, "bounced", on=jdate(1405, 4, 2))
    assert _purchase(kernel, pid).balance == 110_000
    with pytest.raises(FormErrors), kernel.session(actor) as s:
        own_cheques.change(kernel, s, actor, own, "cleared", on=jdate(1405, 4, 3))  # bounced is final here


def test_posting_and_voiding_are_in_the_purchases_history(kernel: Any) -> None:
    from kernel.models import History

    w = purchase_world(kernel)
    pid = buy(kernel, w, [(w["carpet"], "2", 1_000)])
    with kernel.session(w["actor"]) as s:
        purchases.void(kernel, s, w["actor"], pid, "تکراری")
    with kernel.sessions() as s:
        notes = [h.changes for h in s.query(History).filter_by(table_name="finance_purchase", record_id=pid)
                 .order_by(History.id)]
    joined = " ".join(notes)
    assert "فرش ۷۰۰ شانه × 2 × 1,000" in joined and "PUR-1405-00001" in joined and "تکراری" in joined
    assert "ثبت‌شده" in joined and "باطل" in joined


def test_a_posted_purchase_is_not_deleted_and_a_drafts_new_date_takes_its_rates(kernel: Any) -> None:
    from kernel.records import delete_record, update_record
    from modules.finance.tests.finance_helpers import jdate

    w = purchase_world(kernel)
    posted = buy(kernel, w, [(w["carpet"], "1", 1_000)])
    with pytest.raises(Conflict), kernel.session(w["actor"]) as s:
        delete_record(kernel, s, w["actor"], kernel.resources["finance.purchase"], posted)
    assert _purchase(kernel, posted).deleted_at is None
    draft = buy(kernel, w, [(w["carpet"], "1", 1_000)], post=False)
    assert _purchase(kernel, draft).grand_total == 1_100  # 10 % in 1405
    with kernel.session(w["actor"]) as s:
        update_record(kernel, s, w["actor"], kernel.resources["finance.purchase"], draft, {"date": jdate(1402, 6, 1)})
    assert _purchase(kernel, draft).grand_total == 1_090  # 9 % in 1402
