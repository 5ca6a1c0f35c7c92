"""The supplier side of closing a fiscal year (FIN-16 with FIN-18), on SQLite and PostgreSQL: a
draft purchase blocks the close like a draft invoice (listed only for who may see it); what we
owed each supplier at the year's end is carried as its own opening balance, beside what the
customer owed, and the partner's net opening is the statement's opening balance of the new year;
open purchases are carried items; an invoice or purchase voided after the year's end (before the
close) agrees with the statement; purchases count in the order of years and end the undo."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.records import delete_record
from modules.finance.models import FiscalCarry, FiscalOpening, FiscalYear, Purchase
from modules.finance.services import fiscal_close, issuing, purchases
from modules.finance.services.fiscal_close import Refused
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.fiscal_helpers import (
    fiscal_world,
    invoice_on,
    pay_supplier,
    purchase_on,
    supplier_too,
)
from modules.finance.tests.statement_helpers import statement_of

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
NEW_YEAR = (jdate(1405, 1, 1), jdate(1405, 12, 29))


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _close(kernel: Any, actor: Any, year: int = 1404) -> FiscalYear:
    with kernel.session(actor) as s:
        return fiscal_close.close(kernel, s, actor, year)


def _openings(kernel: Any, side: str) -> dict[int, int]:
    with kernel.sessions() as s:
        return {p: int(a) for p, a in s.execute(select(FiscalOpening.partner_id, FiscalOpening.amount).where(
            FiscalOpening.year == 1405, FiscalOpening.side == side))}


def _net(kernel: Any, partner: int) -> int:
    """The partner's opening of the new year as the close wrote it: what it owed us less what we owed it."""
    return _openings(kernel, "customer").get(partner, 0) - _openings(kernel, "supplier").get(partner, 0)


def test_a_draft_purchase_dated_in_the_year_blocks_the_close(kernel: Any) -> None:
    w = fiscal_world(kernel)
    supplier_too(kernel, w["vanak"])  # a Tehran customer that also sells to us
    ours = purchase_on(kernel, w, w["supplier"], jdate(1404, 12, 15), 1_000_000, post=False)  # Isfahan
    theirs = purchase_on(kernel, w, w["vanak"], jdate(1404, 12, 16), 2_000_000, post=False)  # Tehran
    purchase_on(kernel, w, w["supplier"], jdate(1405, 1, 3), 500_000, post=False)  # the new year's: no reason
    with pytest.raises(Refused) as refused:
        _close(kernel, w["boss"])
    [reason] = refused.value.reasons
    assert reason.msgid.startswith("{n} draft purchase invoices are dated in this year") and reason.params["n"] == "۲"
    assert [href for href, _ in reason.records] == [f"/finance/purchase/{ours}", f"/finance/purchase/{theirs}"]
    assert "draft purchase" in kernel.t("en", reason.msgid, **reason.params)
    assert "پیش‌نویس" in kernel.t("fa", reason.msgid, **reason.params)
    # A clerk limited to Isfahan is told both are there, and shown only the one it may see.
    with pytest.raises(Refused) as limited:
        _close(kernel, w["isf"])
    [reason] = limited.value.reasons
    assert reason.params["n"] == "۲" and [href for href, _ in reason.records] == [f"/finance/purchase/{ours}"]
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(FiscalYear)) == 0
    # Posted or deleted, they stop blocking.
    with kernel.session(w["boss"]) as s:
        purchases.post(kernel, s, w["boss"], ours)
        delete_record(kernel, s, w["boss"], kernel.resources["finance.purchase"], theirs)
    assert _close(kernel, w["boss"]).state == "closed"


def test_what_we_owed_suppliers_is_carried_and_the_net_is_the_statements_opening(kernel: Any) -> None:
    w = fiscal_world(kernel)
    supplier_too(kernel, w["gaz"])  # گز اصفهان buys from us (6,000,000 open) and sells to us
    p1 = purchase_on(kernel, w, w["supplier"], jdate(1404, 10, 5), 5_000_000)
    pay_supplier(kernel, w, p1, 2_000_000, jdate(1404, 11, 1))
    pay_supplier(kernel, w, p1, 1_000_000, jdate(1405, 1, 10))  # after the year's end: still owed on its last day
    p2 = purchase_on(kernel, w, w["gaz"], jdate(1404, 12, 5), 4_000_000)
    settled = purchase_on(kernel, w, w["supplier"], jdate(1404, 8, 1), 1_000_000)
    pay_supplier(kernel, w, settled, 1_000_000, jdate(1404, 8, 2))
    purchase_on(kernel, w, w["supplier"], jdate(1405, 1, 5), 9_000_000)  # the new year's own
    row = _close(kernel, w["boss"])
    assert _openings(kernel, "customer") == {w["gaz"]: 6_000_000, w["vanak"]: 8_000_000}
    assert _openings(kernel, "supplier") == {w["supplier"]: 3_000_000, w["gaz"]: 4_000_000}
    assert (row.openings, row.opening_total) == (2, 14_000_000)
    assert (row.supplier_openings, row.supplier_total) == (2, 7_000_000)
    # Each partner's net opening is the opening balance of its statement of the new year (the
    # statement reads "what the partner owes us": purchases are credits, our payments debits).
    for partner in ("gaz", "vanak", "supplier"):
        assert statement_of(kernel, w["boss"], w[partner], *NEW_YEAR).opening == _net(kernel, w[partner]), partner
    assert _net(kernel, w["gaz"]) == 2_000_000 and _net(kernel, w["supplier"]) == -3_000_000
    # The open purchases are carried, with what was still owed on the year's last day.
    with kernel.sessions() as s:
        carried = sorted((c.purchase_id, c.partner_id, c.amount) for c in s.scalars(
            select(FiscalCarry).where(FiscalCarry.kind == "purchase")))
        numbers = {c.purchase_id: c.reference for c in s.scalars(select(FiscalCarry).where(FiscalCarry.kind == "purchase"))}
        assert numbers[p1] == s.get(Purchase, p1).number
    assert carried == [(p1, w["supplier"], 3_000_000), (p2, w["gaz"], 4_000_000)]
    assert row.carried == 6 + 2


def test_voided_after_the_years_end_agrees_with_the_statement(kernel: Any) -> None:
    """Void means "never took effect" (FAQ 3): the statement shows a voided invoice and its
    reversal on the invoice's own date, so an invoice open on the year's last day and voided in the
    new year, before the close, is in neither the statement's new-year opening nor the close's; a
    purchase likewise."""
    w = fiscal_world(kernel)
    supplier_too(kernel, w["gaz"])
    voided = invoice_on(kernel, w, "gaz", jdate(1404, 12, 20))
    bought = purchase_on(kernel, w, w["gaz"], jdate(1404, 12, 21), 3_000_000)
    kept = purchase_on(kernel, w, w["gaz"], jdate(1404, 12, 22), 1_000_000)
    with kernel.session(w["boss"]) as s:  # both voided in 1405, while 1404 is still open
        issuing.void_invoice(kernel, s, w["boss"], voided, "اشتباه در صدور")
        purchases.void(kernel, s, w["boss"], bought, "فاکتور تکراری")
    _close(kernel, w["boss"])
    opening = statement_of(kernel, w["boss"], w["gaz"], *NEW_YEAR).opening
    assert opening == _net(kernel, w["gaz"]) == 6_000_000 - 1_000_000
    with kernel.sessions() as s:
        carried = set(s.scalars(select(FiscalCarry.invoice_id).where(FiscalCarry.invoice_id.is_not(None))))
        carried_purchases = set(s.scalars(select(FiscalCarry.purchase_id).where(FiscalCarry.kind == "purchase")))
    assert voided not in carried and carried_purchases == {kept}


def test_a_year_of_purchases_only_is_closed_first(kernel: Any) -> None:
    w = fiscal_world(kernel)
    purchase_on(kernel, w, w["supplier"], jdate(1403, 6, 1), 1_000_000)  # the first document of all
    with pytest.raises(Refused) as refused:
        _close(kernel, w["boss"])
    assert [r.msgid for r in refused.value.reasons] == ["The fiscal year {earlier} is still open: close it first"]
    assert refused.value.reasons[0].params["earlier"] == "۱۴۰۳"
    _close(kernel, w["boss"], 1403)
    assert _openings(kernel, "supplier") == {}  # 1404's opening: the 1403 purchase is owed at 1403's end
    with kernel.sessions() as s:
        assert s.scalar(select(FiscalOpening.amount).where(FiscalOpening.year == 1404,
                                                           FiscalOpening.side == "supplier")) == 1_000_000
    _close(kernel, w["boss"])


@pytest.mark.parametrize("what", ["a purchase posted", "a supplier paid"])
def test_the_undo_removes_the_supplier_side_until_the_new_year_buys_or_pays(kernel: Any, what: str) -> None:
    w = fiscal_world(kernel)
    old = purchase_on(kernel, w, w["supplier"], jdate(1404, 12, 1), 1_000_000)
    _close(kernel, w["boss"])
    with kernel.session(w["boss"]) as s:
        row = fiscal_close.reopen(kernel, s, w["boss"], 1404)
        assert (row.supplier_openings, row.supplier_total) == (0, 0)
    assert _openings(kernel, "supplier") == {}
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(FiscalCarry)) == 0
    assert _close(kernel, w["boss"]).supplier_total == 1_000_000
    if what == "a purchase posted":
        new = purchase_on(kernel, w, w["supplier"], jdate(1405, 1, 5), 1_000_000)
    else:
        pay_supplier(kernel, w, old, 500_000, jdate(1405, 1, 5))
        new = old
    with pytest.raises(Refused) as refused, kernel.session(w["boss"]) as s:
        fiscal_close.reopen(kernel, s, w["boss"], 1404)
    reason = refused.value.reasons[0]
    assert "can no longer be undone" in reason.msgid and reason.records[0][0] == f"/finance/purchase/{new}"


def test_a_payment_to_a_supplier_dated_in_a_closed_year_is_neither_deleted_nor_restored(kernel: Any) -> None:
    """The closed year's ledger stays as it was closed: a payment to a supplier dated in it — by
    cash, or by endorsing a customer's cheque (whose delete would undo the endorsement) — is not
    deleted, and one deleted before the close is not restored after it; the message names the year."""
    from kernel.records import FormErrors, restore_record
    from modules.finance.models import Cheque, PurchasePayment
    from modules.finance.services import cheques

    w = fiscal_world(kernel)
    res = kernel.resources["finance.purchase_payment"]
    p1 = purchase_on(kernel, w, w["supplier"], jdate(1404, 10, 5), 5_000_000)
    cash = pay_supplier(kernel, w, p1, 1_000_000, jdate(1404, 11, 1))
    gone = pay_supplier(kernel, w, p1, 500_000, jdate(1404, 11, 2))
    with kernel.session(w["boss"]) as s:
        delete_record(kernel, s, w["boss"], res, gone)  # before the close: allowed
        cheques.change_state(kernel, s, w["boss"], w["cheque"], "endorsed", on=jdate(1404, 12, 1),
                             endorsed_to_id=w["supplier"], purchase_id=p1)
    with kernel.sessions() as s:
        endorsed = int(s.scalars(select(PurchasePayment.id).where(PurchasePayment.cheque_id == w["cheque"])).one())
    _close(kernel, w["boss"])
    for payment in (cash, endorsed):
        with pytest.raises(FormErrors) as refused, kernel.session(w["boss"]) as s:
            delete_record(kernel, s, w["boss"], res, payment)
        said = kernel.t("fa", refused.value.errors["__all__"].msgid, **refused.value.errors["__all__"].params)
        assert "سال مالی ۱۴۰۴ بسته شده است" in said
    with pytest.raises(FormErrors), kernel.session(w["boss"]) as s:
        restore_record(kernel, s, w["boss"], res, gone)
    with kernel.sessions() as s:
        live = set(s.scalars(select(PurchasePayment.id).where(PurchasePayment.deleted_at.is_(None))))
        assert {cash, endorsed} <= live and gone not in live
        assert s.get(Cheque, w["cheque"]).state == "endorsed"  # the endorsement stands
        assert s.get(Purchase, p1).balance == 5_000_000 - 1_000_000 - 3_000_000
