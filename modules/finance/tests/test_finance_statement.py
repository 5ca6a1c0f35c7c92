"""The customer statement as a service (FIN-12): opening balance, rows in date order with the
running balance, a voided invoice shown and reversed, money received by every method (the
cheque's number, the slip's number, the POS trace), the memo of cheques and promises, the
record scope of the partner and of the documents, and the bad periods."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.records import FormErrors
from kernel.testing import actor_of, create_record, create_user
from modules.finance.models import Invoice
from modules.finance.services.statement import period
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.plan_helpers import TOTAL, invoice
from modules.finance.tests.statement_helpers import PERMS, statement_of, statement_world, year_of_movements

YEAR = (jdate(1405, 1, 1), jdate(1405, 12, 29))


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_statement_of_a_year(make_kernel: Any, engine: str) -> None:
    k = make_kernel(edition="tier3", engine=engine)
    w = statement_world(k)
    d = year_of_movements(k, w)
    st = statement_of(k, w["boss"], w["gaz"], *YEAR)
    assert st.opening == TOTAL  # last year's invoice; its money came this year
    got = [(r.day, r.kind, r.detail, r.debit, r.credit, r.balance) for r in st.rows]
    assert got == [
        (jdate(1405, 1, 15), "cash", "", 0, 20_000_000, TOTAL - 20_000_000),
        (jdate(1405, 3, 1), "invoice", "", TOTAL, 0, 2 * TOTAL - 20_000_000),
        (jdate(1405, 3, 1), "void", "", 0, TOTAL, TOTAL - 20_000_000),
        (jdate(1405, 6, 31), "invoice", "", TOTAL, 0, 2 * TOTAL - 20_000_000),
        (jdate(1405, 7, 1), "cash", "", 0, 24_000_000, 2 * TOTAL - 44_000_000),
        (jdate(1405, 7, 2), "slip", "5512", 0, 4_000_000, 2 * TOTAL - 48_000_000),
        (jdate(1405, 7, 2), "pos", "7788", 0, 5_000_000, 2 * TOTAL - 53_000_000),
        (jdate(1405, 8, 2), "cheque", "111222", 0, 15_000_000, 2 * TOTAL - 68_000_000),
    ]
    assert st.rows[1].reference == st.rows[2].reference and st.rows[1].reference.startswith("INV-")
    assert st.rows[1].link == f"/finance/invoice/{d['voided']}"
    assert st.closing == 2 * TOTAL - 68_000_000 == st.rows[-1].balance
    with k.sessions() as s:  # the closing balance is what the invoices still owe
        owed = s.scalar(select(func.sum(Invoice.balance)).where(Invoice.partner_id == w["gaz"],
                                                                 Invoice.state == "issued"))
    assert st.closing == owed
    # The memo: the cheque in hand and the promise, not in the balance.
    assert [(c.number, c.amount, c.state) for c in st.cheques] == [("333444", 24_000_000, "received")]
    assert [(p.day, p.amount) for p in st.promises] == [(jdate(1405, 10, 30), 10_000_000)]
    # A later period opens with the balance this one closes with.
    later = statement_of(k, w["boss"], w["gaz"], jdate(1405, 8, 1), jdate(1405, 8, 30))
    assert later.opening == 2 * TOTAL - 53_000_000 and [r.kind for r in later.rows] == ["cheque"]
    # The other customer's statement holds only its own invoice.
    vanak = statement_of(k, w["boss"], w["vanak"], *YEAR)
    assert vanak.opening == 0 and [(r.kind, r.debit) for r in vanak.rows] == [("invoice", TOTAL)]


def test_a_user_of_own_records_sees_the_statement_of_their_invoices(make_kernel: Any) -> None:
    k = make_kernel(edition="tier3")
    w = statement_world(k)
    own_uid = create_user(k, "own", perms=PERMS, scope="own")
    own = actor_of(k, own_uid)
    shop = create_record(k, own_uid, "base.partner", kind="company", name="فروشگاه من")
    w["shop"] = shop
    mine = invoice(k, {**w, "boss": own}, partner="shop", day=jdate(1405, 4, 1))
    invoice(k, w, partner="shop", day=jdate(1405, 5, 1))  # the boss's invoice of the same customer
    st = statement_of(k, own, shop, *YEAR)
    assert [(r.kind, r.link) for r in st.rows] == [("invoice", f"/finance/invoice/{mine}")]
    assert st.closing == TOTAL
    assert statement_of(k, w["boss"], shop, *YEAR).closing == 2 * TOTAL


def test_the_period_defaults_to_this_jalali_year_and_refuses_bad_input() -> None:
    today = jdate(1405, 9, 17)
    assert period("", None, today) == (jdate(1405, 1, 1), jdate(1405, 12, 29))
    assert period("۱۴۰۵/۰۷/۰۱", "1405/07/30", today) == (jdate(1405, 7, 1), jdate(1405, 7, 30))
    for first, last, field in (("۱۴۰۵/الف/۰۱", "", "from"), ("", "فردا", "until"), ("1405/08/01", "1405/07/01", "until"),
                               ("1405/13/01", "", "from")):
        with pytest.raises(FormErrors) as caught:
            period(first, last, today)
        assert set(caught.value.errors) == {field}, (first, last)
    assert dt.date(2026, 3, 21) == jdate(1405, 1, 1)  # Nowruz 1405: the year's first day


def test_a_suppliers_statement_holds_its_purchases_and_what_we_paid(make_kernel: Any) -> None:
    """The supplier side (FIN-18) on the same statement: a posted purchase is owed to the partner (a
    credit), a voided one is shown and reversed, a payment to it is a debit; a cheque endorsed to it
    that bounces takes its payment off. The balance reads "what the partner owes us": negative for
    what we owe a supplier."""
    from modules.finance.services import cheques, purchase_payments, purchases
    from modules.finance.tests.cheque_helpers import bank_id, cheque
    from modules.finance.tests.purchase_helpers import PERMS as PURCHASE_PERMS
    from modules.finance.tests.purchase_helpers import buy, purchase_world

    k = make_kernel(edition="tier3")
    w = purchase_world(k, perms=(*PURCHASE_PERMS, "finance.cheque.*"))
    actor = w["actor"]
    kept = buy(k, w, [(w["carpet"], "10", 1_000_000)], on=jdate(1405, 2, 1))
    voided = buy(k, w, [(w["rug"], "2", 500_000)], on=jdate(1405, 2, 3))
    with k.session(actor) as s:
        purchases.void(k, s, actor, voided, "اشتباه")
        purchase_payments.pay(k, s, actor, kept, 3_000_000, jdate(1405, 2, 5), "cash")
    mellat = bank_id(k, "012")
    endorsed = cheque(k, w["uid"], w["customer"], mellat, number="909090", amount=2_000_000,
                      due=jdate(1405, 4, 1))
    with k.session(actor) as s:
        cheques.change_state(k, s, actor, endorsed, "endorsed", on=jdate(1405, 2, 6),
                             endorsed_to_id=w["supplier"], purchase_id=kept)
    st = statement_of(k, actor, w["supplier"], *YEAR)
    kept_total = 10_000_000 + 1_000_000  # ten carpets and 10 % VAT
    got = [(r.day, r.kind, r.detail, r.debit, r.credit) for r in st.rows]
    assert got[0] == (jdate(1405, 2, 1), "purchase", "F-12", 0, kept_total)
    assert [g[1:] for g in got[1:3]] == [("purchase", "F-12", 0, 1_100_000), ("purchase_void", "", 1_100_000, 0)]
    assert got[3:] == [(jdate(1405, 2, 5), "paid_supplier", "", 3_000_000, 0),
                       (jdate(1405, 2, 6), "paid_supplier", "909090", 2_000_000, 0)]
    assert st.closing == -(kept_total - 5_000_000)
    with k.session(actor) as s:  # the endorsed cheque bounces: its payment leaves the statement
        cheques.change_state(k, s, actor, endorsed, "bounced", on=jdate(1405, 2, 20))
    st = statement_of(k, actor, w["supplier"], *YEAR)
    assert [r.kind for r in st.rows][-1] == "paid_supplier" and st.closing == -(kept_total - 3_000_000)
