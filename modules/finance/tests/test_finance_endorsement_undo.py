"""An endorsement recorded by mistake is undone by deleting the supplier's payment it made (FIN-09,
FIN-18): the customer's cheque goes back to where it was (at the desk or in the safe) with a line
of history, the purchase is open again, and the customer's side is as if the endorsement had never
been — the plan's payment by that cheque still pending, its instalments untouched, its due-date
reminder ringing again, the standing unchanged. Once the supplier brought the cheque back bounced,
the delete is refused with a Persian message naming the cheque and its state, and nothing changes.
Every path a record is deleted (its page, the list's bulk delete, the API) does the same."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from kernel import Conflict
from kernel.records import delete_record, restore_record
from kernel.reminders.models import Reminder
from kernel.testing import actor_of, create_record, create_user, csrf
from kernel.timezone import local_today
from modules.finance import standing
from modules.finance.models import Cheque, ChequeEvent, Instalment, Payment, Purchase, PurchasePayment
from modules.finance.services import cheques, purchases
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.plan_helpers import PERMS, make_plan, new_cheque, pay, plan_world

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
BUYING = ("finance.purchase.*", "finance.purchase.post", "finance.purchase_payment.*", "finance.product.*")
ENDORSED_ON = jdate(1405, 7, 5)


def _world(kernel: Any) -> dict[str, Any]:
    """The plans' world with a plan on its invoice, and the clerks allowed to buy."""
    w = plan_world(kernel, (*PERMS, *BUYING))
    w["rows"] = make_plan(kernel, w, w["invoice"])  # 24,000,000 now, then 4 × 24,000,000
    w["yarn"] = create_record(kernel, None, "finance.product", name="نخ فرش", kind="goods", price=1_000)
    return w


def _purchase(kernel: Any, w: dict[str, Any], cost: int = 100_000_000) -> int:
    """A posted purchase from the supplier of ``cost`` and 10 % VAT: 110,000,000 by default."""
    with kernel.session(w["boss"]) as s:
        doc = purchases.create_purchase(kernel, s, w["boss"], {"partner_id": w["supplier"], "date": ENDORSED_ON},
                                        [{"product_id": w["yarn"], "quantity": "1", "unit_cost": cost}])
        purchases.post(kernel, s, w["boss"], doc.id)
        return int(doc.id)


def _cheque_paying_the_plan(kernel: Any, w: dict[str, Any], number: str, *moves: str, row: int = 1) -> tuple[int, int]:
    """A customer's cheque of 24,000,000 paying the plan's row ``row``: (cheque, plan payment)."""
    chq = new_cheque(kernel, w, number, f"{number:0>16}", 24_000_000, jdate(1405, 8, 30))
    payment = pay(kernel, w, w["invoice"], "cheque", None, w["rows"][row], cheque_id=chq)
    for state in moves:
        with kernel.session(w["boss"]) as s:
            cheques.change_state(kernel, s, w["boss"], chq, state, on=jdate(1405, 7, 2))
    return chq, payment


def _endorse(kernel: Any, w: dict[str, Any], chq: int, purchase: int) -> int:
    """The cheque endorsed to the supplier, paying ``purchase``: the payment it made."""
    with kernel.session(w["boss"]) as s:
        cheques.change_state(kernel, s, w["boss"], chq, "endorsed", on=ENDORSED_ON, endorsed_to_id=w["supplier"],
                             purchase_id=purchase)
    with kernel.sessions() as s:
        return int(s.scalars(select(PurchasePayment.id).where(PurchasePayment.cheque_id == chq)).one())


def _cheque(kernel: Any, chq: int) -> tuple[Any, ...]:
    with kernel.sessions() as s:
        c = s.get(Cheque, chq)
        events = s.scalar(select(func.count()).select_from(ChequeEvent).where(ChequeEvent.cheque_id == chq))
        return c.state, c.revision, c.endorsed_to_id, events


def _customer_side(kernel: Any, w: dict[str, Any], payment: int) -> tuple[Any, ...]:
    """What the customer's plan and standing show: the payment's state, every row's paid and state."""
    with kernel.sessions() as s:
        rows = tuple((r.paid, r.state) for r in s.scalars(select(Instalment).where(
            Instalment.invoice_id == w["invoice"]).order_by(Instalment.position)))
        return s.get(Payment, payment).state, rows, standing.kept(s).get(w["gaz"])


def _reminder_rings(kernel: Any, payment: int) -> bool:
    with kernel.sessions() as s:
        rid = s.get(Payment, payment).reminder_id
        return rid is not None and bool(s.get(Reminder, rid).active)


def _bought(kernel: Any, purchase: int) -> tuple[int, int]:
    with kernel.sessions() as s:
        doc = s.get(Purchase, purchase)
        return doc.paid, doc.balance


@pytest.mark.parametrize("engine", ENGINES)
def test_deleting_the_payment_undoes_the_endorsement(make_kernel: Any, engine: str) -> None:
    kernel = make_kernel(edition="tier3", engine=engine)
    w = _world(kernel)
    purchase = _purchase(kernel, w)
    chq, plan_payment = _cheque_paying_the_plan(kernel, w, "4401", "in_safe")
    before = _customer_side(kernel, w, plan_payment)
    assert before[0] == "pending" and _reminder_rings(kernel, plan_payment)
    paid = _endorse(kernel, w, chq, purchase)
    assert _bought(kernel, purchase) == (24_000_000, 86_000_000)
    assert _cheque(kernel, chq) == ("endorsed", 2, w["supplier"], 3)
    assert not _reminder_rings(kernel, plan_payment)  # with the supplier: its due date is not ours

    with kernel.session(w["boss"]) as s:
        delete_record(kernel, s, w["boss"], kernel.resources["finance.purchase_payment"], paid)

    # Back in the safe, one more line of history (its move, the day, the user, the note).
    assert _cheque(kernel, chq) == ("in_safe", 3, None, 4)
    with kernel.sessions() as s:
        last = s.scalars(select(ChequeEvent).where(ChequeEvent.cheque_id == chq).order_by(ChequeEvent.id.desc())).first()
        assert (last.from_state, last.to_state, last.user_id) == ("endorsed", "in_safe", w["boss_id"])
        assert last.on == local_today(kernel.config.timezone) == s.get(Cheque, chq).state_on
        assert last.note == "واگذاری لغو شد: پرداخت آن به نخ‌ریسی یزد حذف شد"
        assert standing.kept(s) == standing.counted(s)
    assert _bought(kernel, purchase) == (0, 110_000_000)
    # The customer's side as before the endorsement, and its cheque's due date rings again.
    assert _customer_side(kernel, w, plan_payment) == before
    assert _reminder_rings(kernel, plan_payment)
    # It stays in the recycle bin: it would pay with a cheque that is ours again.
    with pytest.raises(Conflict) as refused, kernel.session(w["boss"]) as s:
        restore_record(kernel, s, w["boss"], kernel.resources["finance.purchase_payment"], paid)
    assert "دوباره از صفحهٔ خودش واگذار کنید" in kernel.catalog.message("fa", refused.value)
    with kernel.sessions() as s:
        assert s.get(PurchasePayment, paid).deleted_at is not None
    assert _bought(kernel, purchase) == (0, 110_000_000)
    assert _cheque(kernel, chq) == ("in_safe", 3, None, 4)
    # The cheque is free again: endorsed anew, it pays.
    assert _endorse_again(kernel, w, chq, purchase) != paid
    assert _bought(kernel, purchase) == (24_000_000, 86_000_000)


def _endorse_again(kernel: Any, w: dict[str, Any], chq: int, purchase: int) -> int:
    with kernel.session(w["boss"]) as s:
        cheques.change_state(kernel, s, w["boss"], chq, "endorsed", on=ENDORSED_ON, endorsed_to_id=w["supplier"],
                             purchase_id=purchase)
    with kernel.sessions() as s:
        return int(s.scalars(select(PurchasePayment.id).where(PurchasePayment.cheque_id == chq,
                                                              PurchasePayment.deleted_at.is_(None))).one())


@pytest.mark.parametrize("engine", ENGINES)
def test_a_cheque_the_supplier_brought_back_keeps_its_payment(make_kernel: Any, engine: str) -> None:
    kernel = make_kernel(edition="tier3", engine=engine)
    w = _world(kernel)
    purchase = _purchase(kernel, w)
    chq, plan_payment = _cheque_paying_the_plan(kernel, w, "4402")
    paid = _endorse(kernel, w, chq, purchase)
    with kernel.session(w["boss"]) as s:
        cheques.change_state(kernel, s, w["boss"], chq, "bounced", on=jdate(1405, 8, 30))
    as_bounced = (_cheque(kernel, chq), _bought(kernel, purchase), _customer_side(kernel, w, plan_payment))
    assert as_bounced[0] == ("bounced", 2, w["supplier"], 3) and as_bounced[1] == (0, 110_000_000)
    with pytest.raises(Conflict) as refused, kernel.session(w["boss"]) as s:
        delete_record(kernel, s, w["boss"], kernel.resources["finance.purchase_payment"], paid)
    said = kernel.catalog.message("fa", refused.value)
    assert "۴۴۰۲" in said and "«برگشتی»" in said and "واگذاری دیگر لغوشدنی نیست" in said
    assert str(refused.value).startswith("This payment was made by endorsing the customer's cheque 4402, which is "
                                         "now Bounced")
    assert (_cheque(kernel, chq), _bought(kernel, purchase), _customer_side(kernel, w, plan_payment)) == as_bounced
    with kernel.sessions() as s:
        assert s.get(PurchasePayment, paid).deleted_at is None


def test_every_path_of_deleting_undoes_it_and_a_refusal_is_said_in_persian(
        make_kernel: Any, web_client: Any, api_client: Any) -> None:
    kernel = make_kernel(edition="tier3")
    w = _world(kernel)
    purchase = _purchase(kernel, w)
    # "boss" is the plan world's clerk who sees every province.
    on_page, in_bulk, by_api, bounced = (_cheque_paying_the_plan(kernel, w, n, row=i)[0]
                                            for i, n in enumerate(("51", "52", "53", "54")))
    payments = {chq: _endorse(kernel, w, chq, purchase) for chq in (on_page, in_bulk, by_api, bounced)}
    with kernel.session(w["boss"]) as s:
        cheques.change_state(kernel, s, w["boss"], bounced, "bounced", on=jdate(1405, 8, 30))
    assert _bought(kernel, purchase) == (72_000_000, 38_000_000)
    c = web_client(kernel, "boss")
    page = f"/finance/purchase_payment/{payments[on_page]}"
    r = c.post(f"{page}/delete", data={"csrf": csrf(c, page)}, follow_redirects=False)
    assert r.status_code in (302, 303), r.text[:500]
    assert _cheque(kernel, on_page)[0] == "received"
    r = c.post("/finance/purchase_payment/bulk", data={"csrf": csrf(c, "/finance/purchase_payment/"), "op": "delete",
                                                       "ids": [str(payments[in_bulk])]})
    assert r.status_code < 400, r.text[:500]
    assert _cheque(kernel, in_bulk)[0] == "received"
    api = api_client(kernel, "boss")
    assert api.delete(f"/api/finance/purchase_payment/{payments[by_api]}").status_code == 204
    assert _cheque(kernel, by_api)[0] == "received"
    assert _bought(kernel, purchase) == (0, 110_000_000)
    r = api.delete(f"/api/finance/purchase_payment/{payments[bounced]}", headers={"Accept-Language": "fa"})
    assert r.status_code == 409 and "۵۴" in r.json()["error"] and "«برگشتی»" in r.json()["error"]
    assert _cheque(kernel, bounced)[0] == "bounced"


def test_only_someone_who_may_move_cheques_gives_one_back(make_kernel: Any) -> None:
    kernel = make_kernel(edition="tier3")
    w = _world(kernel)
    purchase = _purchase(kernel, w)
    chq = _cheque_paying_the_plan(kernel, w, "61")[0]
    paid = _endorse(kernel, w, chq, purchase)
    clerk = actor_of(kernel, create_user(kernel, "payer", perms=("finance.purchase_payment.*", "finance.purchase.view",
                                                                 "base.partner.view")))
    with pytest.raises(Conflict) as refused, kernel.session(clerk) as s:
        delete_record(kernel, s, clerk, kernel.resources["finance.purchase_payment"], paid)
    assert "اجازهٔ تغییر وضعیت چک‌ها" in kernel.catalog.message("fa", refused.value)
    assert _cheque(kernel, chq) == ("endorsed", 1, w["supplier"], 2)
    assert _bought(kernel, purchase) == (24_000_000, 86_000_000)
