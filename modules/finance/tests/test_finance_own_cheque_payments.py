"""A payment to a supplier made by our own cheque is not deleted while the cheque counts (FIN-18):
while the supplier holds it, or once the bank paid it, deleting the payment — from its page, the
list's bulk delete or the API — is refused with a Persian message that says what to do, and
nothing changes (the payment counts, the purchase stays paid, the cheque stays given). Marked
returned on the purchase's page, the cheque cancels its payment; that payment may then go."""

from __future__ import annotations

from typing import Any

import pytest

from kernel import Conflict
from kernel.records import delete_record
from kernel.testing import csrf
from modules.finance.models import OwnCheque, Purchase, PurchasePayment
from modules.finance.services import own_cheques
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.purchase_helpers import buy, purchase_world

HELD = "هنوز در دست تأمین‌کننده است"
PAID = "بانک آن را پرداخته است"


def _given(kernel: Any, w: dict[str, Any], number: str = "778899") -> tuple[int, int, int]:
    """A posted purchase (11,000 with VAT) paid whole by our cheque: (purchase, payment, cheque)."""
    doc = buy(kernel, w, [(w["carpet"], "10", 1_000)])
    with kernel.session(w["actor"]) as s:
        payment = own_cheques.give(kernel, s, w["actor"], doc, amount=11_000, on=jdate(1405, 2, 5),
                                   account_id=w["account"], number=number, due_date=jdate(1405, 4, 1))
        assert payment.own_cheque_id is not None  # a payment by our cheque names it
        return doc, payment.id, int(payment.own_cheque_id)


def _state(kernel: Any, doc: int, payment: int, cheque: int) -> tuple[Any, ...]:
    with kernel.sessions() as s:
        p, c, d = s.get(PurchasePayment, payment), s.get(OwnCheque, cheque), s.get(Purchase, doc)
        return p.deleted_at is None, p.cancelled_on is None, d.paid, d.balance, c.state


def test_deleting_the_payment_of_our_cheque_the_supplier_holds_is_refused_everywhere(
        make_kernel: Any, web_client: Any, api_client: Any) -> None:
    kernel = make_kernel(edition="tier3")
    w = purchase_world(kernel)
    doc, payment, cheque = _given(kernel, w)
    as_given = (True, True, 11_000, 0, "issued")
    assert _state(kernel, doc, payment, cheque) == as_given
    c = web_client(kernel, "sara")
    page = f"/finance/purchase_payment/{payment}"
    r = c.post(f"{page}/delete", data={"csrf": csrf(c, page)})
    assert HELD in r.text and "۷۷۸۸۹۹" in r.text and "عودت‌شده" in r.text
    assert _state(kernel, doc, payment, cheque) == as_given
    r = c.post("/finance/purchase_payment/bulk", data={"csrf": csrf(c, "/finance/purchase_payment/"), "op": "delete",
                                                       "ids": [str(payment)]})
    assert r.status_code == 409 and HELD in r.text
    assert _state(kernel, doc, payment, cheque) == as_given
    api = api_client(kernel, "sara")
    r = api.delete(f"/api/finance/purchase_payment/{payment}")  # in the client's language, not "depend on it"
    assert r.status_code == 409 and "which the supplier still holds" in r.json()["error"]
    r = api.delete(f"/api/finance/purchase_payment/{payment}", headers={"Accept-Language": "fa"})
    assert r.status_code == 409 and HELD in r.json()["error"]
    assert _state(kernel, doc, payment, cheque) == as_given
    # Where the cheque lives: returned, it cancels its payment and the purchase is open again;
    # the payment no longer counts and may now be deleted.
    with kernel.session(w["actor"]) as s:
        own_cheques.change(kernel, s, w["actor"], cheque, "returned", jdate(1405, 2, 6))
    assert _state(kernel, doc, payment, cheque) == (True, False, 0, 11_000, "returned")
    assert api.delete(f"/api/finance/purchase_payment/{payment}").status_code == 204
    assert _state(kernel, doc, payment, cheque) == (False, False, 0, 11_000, "returned")


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_the_payment_of_our_cheque_the_bank_paid_stands(make_kernel: Any, engine: str) -> None:
    kernel = make_kernel(edition="tier3", engine=engine)
    w = purchase_world(kernel)
    doc, payment, cheque = _given(kernel, w, "55")
    with kernel.session(w["actor"]) as s:
        own_cheques.change(kernel, s, w["actor"], cheque, "cleared", jdate(1405, 4, 1))
    with pytest.raises(Conflict) as refused, kernel.session(w["actor"]) as s:
        delete_record(kernel, s, w["actor"], kernel.resources["finance.purchase_payment"], payment)
    assert PAID in kernel.catalog.message("fa", refused.value) and "۵۵" in kernel.catalog.message("fa", refused.value)
    assert str(refused.value).startswith("This payment was made by our cheque 55, which the bank has paid")
    assert _state(kernel, doc, payment, cheque) == (True, True, 11_000, 0, "cleared")


def test_a_cash_payment_is_still_deleted(make_kernel: Any) -> None:
    kernel = make_kernel(edition="tier3")
    w = purchase_world(kernel)
    doc = buy(kernel, w, [(w["carpet"], "10", 1_000)])
    from modules.finance.services import purchase_payments

    with kernel.session(w["actor"]) as s:
        payment = purchase_payments.pay(kernel, s, w["actor"], doc, 5_000, jdate(1405, 2, 5), "cash").id
    with kernel.session(w["actor"]) as s:
        delete_record(kernel, s, w["actor"], kernel.resources["finance.purchase_payment"], payment)
    with kernel.sessions() as s:
        assert (s.get(Purchase, doc).paid, s.get(PurchasePayment, payment).deleted_at is not None) == (0, True)
