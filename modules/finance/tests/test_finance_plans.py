"""Payment plans (FIN-08): the plan made monthly on a Jalali day and typed by hand, payments by
cash, promise, cheque, deposit slip and POS spread over the instalments, the invoice settled
exactly when cleared money covers it, a bounced cheque re-opening its instalments with one alarm,
the due alarms (FIN-11), refusals in Persian with nothing changed — on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from kernel import Conflict
from kernel.records import FormErrors
from kernel.reminders.models import Reminder
from kernel.testing import alarms_of
from modules.finance.models import Allocation, Instalment, Invoice, Payment, Receipt
from modules.finance.plan_dates import monthly, split
from modules.finance.services import cheques, plans
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.plan_helpers import TOTAL, make_plan, new_cheque, pay, plan_world

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


@pytest.fixture
def sqlite_kernel(make_kernel: Any) -> Any:
    return make_kernel(edition="tier3")


def _state(k: Any, invoice_id: int) -> tuple[int, list[tuple[str, int, Any]]]:
    with k.sessions() as s:
        inv = s.get(Invoice, invoice_id)
        return inv.balance, [(r.state, r.paid, r.paid_on) for r in plans.instalments(s, invoice_id)]


def _move(k: Any, w: dict[str, Any], cid: int, *states: str) -> None:
    for state in states:
        with k.session(w["boss"]) as s:
            cheques.change_state(k, s, w["boss"], cid, state, on=jdate(1405, 7, 20),
                                 account_id=w["account"] if state == "deposited" else None)


def test_monthly_on_a_jalali_day_and_the_remainder_on_the_last() -> None:
    # 31 Shahrivar → 30 Mehr, 30 Aban, 30 Azar … Esfand 1405 has 29 days (1405 is not leap) …
    days = monthly(jdate(1405, 6, 31), 8)
    assert days == [jdate(1405, 6, 31), jdate(1405, 7, 30), jdate(1405, 8, 30), jdate(1405, 9, 30),
                    jdate(1405, 10, 30), jdate(1405, 11, 30), jdate(1405, 12, 29), jdate(1406, 1, 31)]
    assert monthly(jdate(1405, 11, 15), 3, every=2) == [jdate(1405, 11, 15), jdate(1406, 1, 15), jdate(1406, 3, 15)]
    assert split(100, 3) == [33, 33, 34] and sum(split(96_000_000, 7)) == 96_000_000
    assert split(5, 0) == []


def test_the_issue_example_two_cheques_a_promise_one_clears_one_bounces(kernel: Any) -> None:
    """120,000,000 Rials: 20 % cash and four monthly instalments of 24,000,000; the first two by
    cheques, the third by a promise. The first cheque clears, the second bounces: its instalment
    is open again and the invoice's owner gets one alarm."""
    k = kernel
    w = plan_world(k)
    inv = w["invoice"]
    ids = make_plan(k, w, inv, cash=24_000_000, count=4, first=jdate(1405, 7, 30))
    with k.sessions() as s:
        rows = plans.instalments(s, inv)
        assert [(r.is_cash, r.amount) for r in rows] == [(True, 24_000_000)] + [(False, 24_000_000)] * 4
        assert [r.due_date for r in rows[1:]] == [jdate(1405, 7, 30), jdate(1405, 8, 30), jdate(1405, 9, 30),
                                                 jdate(1405, 10, 30)]
    pay(k, w, inv, "cash", 24_000_000, ids[0], on=jdate(1405, 6, 31))
    first = new_cheque(k, w, "1001", "1000000000000001", 24_000_000, jdate(1405, 7, 30))
    second = new_cheque(k, w, "1002", "1000000000000002", 24_000_000, jdate(1405, 8, 30))
    pay(k, w, inv, "cheque", None, ids[1], cheque_id=first)
    pay(k, w, inv, "cheque", None, ids[2], cheque_id=second)
    pay(k, w, inv, "promise", 24_000_000, ids[3], on=jdate(1405, 9, 30))
    balance, states = _state(k, inv)
    # Only the cash is cleared money: the cheques and the promise hold their instalments, unpaid.
    assert balance == TOTAL - 24_000_000
    assert [s for s, _, _ in states] == ["paid", "open", "open", "open", "open"]
    assert states[0][2] == jdate(1405, 6, 31)  # the collection date
    _move(k, w, first, "deposited", "cleared")
    _move(k, w, second, "deposited", "bounced")
    balance, states = _state(k, inv)
    assert balance == TOTAL - 48_000_000
    assert [(s, p) for s, p, _ in states] == [("paid", 24_000_000), ("paid", 24_000_000), ("open", 0), ("open", 0),
                                              ("open", 0)]
    assert states[1][2] == jdate(1405, 7, 20)  # collected the day the cheque cleared
    # One alarm for the bounce (the cheque's own, to the invoice's owner), not two.
    assert [t for t, _ in alarms_of(k, w["boss_id"])] == ["چک \u2066۱۰۰۲\u2069 برگشت خورد"]
    with k.sessions() as s:
        assert s.scalar(select(Payment.state).where(Payment.cheque_id == second)) == "bounced"
        assert s.scalar(select(func.count(Receipt.id)).where(Receipt.invoice_id == inv)) == 2
    # The re-opened instalment takes new money; the promise is kept by cash for the third.
    pay(k, w, inv, "slip", 24_000_000, ids[2], slip_number="۸۸۷۷", payer_name="رضا", account_id=w["account"])
    pay(k, w, inv, "pos", 24_000_000, ids[3], terminal_id=w["pos"], trace_number="۱۲۳۴۵۶")
    pay(k, w, inv, "cash", 24_000_000, ids[4])
    balance, states = _state(k, inv)
    assert balance == 0 and all(s == "paid" for s, _, _ in states)
    with k.sessions() as s:
        assert s.scalar(select(Payment.state).where(Payment.kind == "promise")) == "kept"
        assert s.get(Invoice, inv).received == TOTAL


def test_a_plan_must_add_up_to_the_total_and_is_fixed_after_a_payment(kernel: Any) -> None:
    k = kernel
    w = plan_world(k)
    inv = w["invoice"]
    with k.session(w["boss"]) as s, pytest.raises(FormErrors) as err:
        plans.save(k, s, w["boss"], inv, cash=10_000_000, cash_on=None,
                   parts=[(jdate(1405, 7, 30), 50_000_000), (jdate(1405, 8, 30), 50_000_000)])
    message = k.t("fa", err.value.errors["cash"].msgid, **err.value.errors["cash"].params)
    assert message.startswith("جمع برنامه") and "110,000,000" in message and "120,000,000" in message
    with k.session(w["boss"]) as s, pytest.raises(FormErrors) as err:
        plans.save(k, s, w["boss"], inv, cash=-5, cash_on=None, parts=[(jdate(1405, 7, 30), 0)])
    assert set(err.value.errors) == {"cash", "amount_1"}
    with k.sessions() as s:
        assert plans.instalments(s, inv) == []
    with k.session(w["boss"]) as s:
        rows = plans.save(k, s, w["boss"], inv, cash=0, cash_on=None,
                          parts=[(jdate(1405, 7, 30), 70_000_000), (jdate(1405, 9, 1), 50_000_000)])
        assert [r.amount for r in rows] == [70_000_000, 50_000_000]
    ids = make_plan(k, w, inv, cash=0, count=3)  # replaced: three instalments now
    assert len(ids) == 3
    pay(k, w, inv, "cash", 1_000_000)
    with k.session(w["boss"]) as s, pytest.raises(Conflict):
        plans.generate(k, s, w["boss"], inv, cash=0, count=2, first=jdate(1405, 7, 30))
    with k.sessions() as s:
        assert len(plans.instalments(s, inv)) == 3


def test_overpayment_and_bad_amounts_are_refused_on_the_field(kernel: Any) -> None:
    k = kernel
    w = plan_world(k)
    inv = w["invoice"]
    ids = make_plan(k, w, inv)
    for amount in (0, -5):
        with pytest.raises(FormErrors) as err:
            pay(k, w, inv, "cash", amount, ids[1])
        assert set(err.value.errors) == {"amount"}
    with pytest.raises(FormErrors) as err:
        pay(k, w, inv, "cash", 24_000_001, ids[1])  # one Rial more than the instalment needs
    assert k.t("fa", err.value.errors["amount"].msgid, **err.value.errors["amount"].params).startswith("مبلغ")
    with pytest.raises(FormErrors) as err:
        pay(k, w, inv, "cash", TOTAL + 1)
    assert "amount" in err.value.errors
    with pytest.raises(FormErrors) as err:
        pay(k, w, inv, "slip", 1_000, ids[1])
    assert set(err.value.errors) == {"slip_number", "account_id"}
    with pytest.raises(FormErrors) as err:
        pay(k, w, inv, "pos", 1_000, ids[1])
    assert set(err.value.errors) == {"terminal_id", "trace_number"}
    with k.sessions() as s:
        assert s.scalar(select(func.count(Payment.id))) == 0
        assert s.scalar(select(func.count(Receipt.id))) == 0
        assert s.get(Invoice, inv).balance == TOTAL


def test_one_cheque_covers_several_instalments_and_several_payments_one(kernel: Any) -> None:
    k = kernel
    w = plan_world(k)
    inv = w["invoice"]
    ids = make_plan(k, w, inv)
    big = new_cheque(k, w, "2001", "2000000000000001", 48_000_000, jdate(1405, 7, 30))
    pay(k, w, inv, "cheque", None, ids[1], ids[2], cheque_id=big)
    with k.sessions() as s:
        parts = sorted((a.instalment_id, a.amount) for a in s.scalars(select(Allocation)))
        assert parts == [(ids[1], 24_000_000), (ids[2], 24_000_000)]
    with pytest.raises(FormErrors) as err:
        pay(k, w, inv, "cheque", 1_000, ids[3], cheque_id=big)  # nothing is left of that cheque
    assert "amount" in err.value.errors
    pay(k, w, inv, "cash", 10_000_000, ids[0])
    pay(k, w, inv, "pos", 14_000_000, ids[0], terminal_id=w["pos"], trace_number="778899")
    balance, states = _state(k, inv)
    assert states[0][:2] == ("paid", 24_000_000) and balance == TOTAL - 24_000_000
    _move(k, w, big, "deposited", "cleared")
    balance, states = _state(k, inv)
    assert [s for s, _, _ in states] == ["paid", "paid", "paid", "open", "open"]
    assert balance == TOTAL - 72_000_000


def test_cash_from_the_receipt_form_and_deleted_receipts_follow_the_plan(sqlite_kernel: Any) -> None:
    from kernel.records import delete_record
    from modules.finance.services import receipts

    k = sqlite_kernel
    w = plan_world(k)
    inv = w["invoice"]
    make_plan(k, w, inv)
    with k.session(w["boss"]) as s:
        rid = receipts.receive_cash(k, s, w["boss"], inv, 30_000_000, jdate(1405, 7, 1)).id
    balance, states = _state(k, inv)
    assert balance == TOTAL - 30_000_000
    assert [(s, p) for s, p, _ in states][:2] == [("paid", 24_000_000), ("partly", 6_000_000)]
    with k.session(w["boss"]) as s:
        delete_record(k, s, w["boss"], k.resources["finance.receipt"], rid)
    balance, states = _state(k, inv)
    assert balance == TOTAL and all(s == "open" for s, _, _ in states)


def test_due_alarms_days_before_and_stopped_when_paid(sqlite_kernel: Any) -> None:
    from modules.finance.tests.plan_helpers import invoice

    k = sqlite_kernel
    w = plan_world(k)
    inv = w["invoice"]
    with k.session() as s:
        k.set_setting(s, plans.ALARM_DAYS, 5)
    ids = make_plan(k, w, inv, cash=0, count=2, first=jdate(1405, 7, 30))
    with k.sessions() as s:
        rows = plans.instalments(s, inv)
        reminders = [s.get(Reminder, r.reminder_id) for r in rows]
        assert all(r is not None and r.active and r.user_id == w["boss_id"] for r in reminders)
        # 09:00 Tehran (05:30 UTC) five days before 30 Mehr.
        assert reminders[0].first_at.date() == jdate(1405, 7, 25)
        assert "۱۴۰۵/۰۷/۳۰" in reminders[0].title
    pay(k, w, inv, "cash", 60_000_000, ids[0])
    with k.sessions() as s:
        rows = plans.instalments(s, inv)
        assert not s.get(Reminder, rows[0].reminder_id).active and s.get(Reminder, rows[1].reminder_id).active
    chq = new_cheque(k, w, "3001", "3000000000000001", 60_000_000, jdate(1405, 8, 30))
    pid = pay(k, w, inv, "cheque", None, ids[1], cheque_id=chq)
    with k.sessions() as s:
        reminder = s.get(Reminder, s.get(Payment, pid).reminder_id)
        assert reminder.active and reminder.link_resource == "finance.cheque"
    _move(k, w, chq, "deposited")
    with k.sessions() as s:
        assert not s.get(Reminder, s.get(Payment, pid).reminder_id).active
    # A promise rings on its own day (five days before), and stops once real money keeps it.
    inv2 = invoice(k, w)
    ids2 = make_plan(k, w, inv2, cash=0, count=2, first=jdate(1405, 7, 30))
    promise = pay(k, w, inv2, "promise", 60_000_000, ids2[0], on=jdate(1405, 8, 10))
    with k.sessions() as s:
        reminder = s.get(Reminder, s.get(Payment, promise).reminder_id)
        assert reminder.active and reminder.first_at.date() == jdate(1405, 8, 5) and "وعدهٔ پرداخت" in reminder.title
    pay(k, w, inv2, "cash", 60_000_000, ids2[0], on=jdate(1405, 8, 10))
    with k.sessions() as s:
        assert s.get(Payment, promise).state == "kept"
        assert not s.get(Reminder, s.get(Payment, promise).reminder_id).active
        assert s.get(Instalment, ids2[0]).paid_on == jdate(1405, 8, 10)


def test_only_inside_the_scope_and_with_the_permissions(sqlite_kernel: Any) -> None:
    from kernel import NotFound, PermissionDenied
    from modules.finance.tests.plan_helpers import invoice

    k = sqlite_kernel
    w = plan_world(k)
    tehran = invoice(k, w, "vanak")
    with k.session(w["isf"]) as s, pytest.raises(NotFound):
        plans.generate(k, s, w["isf"], tehran, cash=0, count=2, first=jdate(1405, 7, 30))
    with k.session(w["viewer"]) as s, pytest.raises(PermissionDenied):
        plans.generate(k, s, w["viewer"], w["invoice"], cash=0, count=2, first=jdate(1405, 7, 30))
    make_plan(k, w, tehran)
    with pytest.raises(NotFound):
        pay(k, w, tehran, "cash", 1_000, actor="isf")
    with k.sessions() as s:
        assert s.scalar(select(func.count(Instalment.id)).where(Instalment.invoice_id == w["invoice"])) == 0
