"""Proformas and invoices through the services (FIN-04, FIN-06, FIN-07): totals with rates by
date, issue → numbered, convert exactly once with identical lines and totals, direct invoices,
editing an issued invoice, void, cash receipts, and bad input refused on its field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from kernel import Conflict, PermissionDenied
from kernel.models import History, User
from kernel.persian.money import format_money
from kernel.records import FormErrors
from kernel.testing import actor_of
from modules.finance.models import Invoice, InvoiceLine, Proforma, ProformaLine
from modules.finance.models.document_base import LINE_COPIED
from modules.finance.services import drafts, issuing, receipts
from modules.finance.tests.finance_helpers import INVOICE, PROFORMA, jdate, three_lines, world

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _proforma(kernel: Any, w: dict[str, Any], day: Any, **header: Any) -> int:
    with kernel.session(w["actor"]) as s:
        doc = drafts.create_document(kernel, s, w["actor"], PROFORMA, {
            "partner_id": w["customer"], "date": day, "discount_kind": "rial", "discount_value": Decimal(1_000_000),
            "shipping": 500_000, "title": "پیش‌فاکتور فرش", **header}, three_lines(w))
        return int(doc.id)


def test_the_worked_example_as_a_proforma_and_the_rate_by_date(kernel: Any) -> None:
    w = world(kernel)
    in_1403 = _proforma(kernel, w, jdate(1403, 1, 1))
    in_1402 = _proforma(kernel, w, jdate(1402, 12, 29))
    with kernel.sessions() as s:
        new, old = s.get(Proforma, in_1403), s.get(Proforma, in_1402)
        assert (new.vat_rate_bp, old.vat_rate_bp) == (1000, 900)
        assert (new.net_amount, new.discount_amount, new.vat_amount, new.grand_total) == (
            27_000_000, 1_000_000, 2_455_556, 28_955_556)
        # 9 %: 21,666,667 × 0.09 = 1,950,000.03 → 1,950,000; 2,888,889 × 0.09 = 260,000.01 → 260,000.
        assert (old.vat_amount, old.grand_total) == (2_210_000, 28_710_000)
        lines = s.scalars(select(ProformaLine).where(ProformaLine.proforma_id == in_1403)
                          .order_by(ProformaLine.position)).all()
        assert [li.quantity for li in lines] == [Decimal(2), Decimal("2.5"), Decimal(1)]
        assert [li.document_discount for li in lines] == [833_333, 111_111, 55_556]
        assert [li.tax_exempt for li in lines] == [False, False, True]
        assert lines[1].serial_number == "SN-77" and new.state == "draft" and new.number is None


def test_issue_convert_once_identical_lines_and_a_second_conversion_refused(kernel: Any) -> None:
    w = world(kernel, perms=("finance.proforma.*", "finance.invoice.*", "finance.product.view", "base.partner.*"))
    pid = _proforma(kernel, w, jdate(1403, 5, 1))
    with kernel.session(w["actor"]) as s:
        pf = issuing.issue_proforma(kernel, s, w["actor"], pid)
        assert pf.number == "PF-1403-00001" and pf.state == "issued"
    with kernel.session(w["actor"]) as s:
        inv = issuing.convert(kernel, s, w["actor"], pid)
        inv_id = inv.id
    with pytest.raises(Conflict), kernel.session(w["actor"]) as s:
        issuing.convert(kernel, s, w["actor"], pid)
    with kernel.sessions() as s:
        pf, inv = s.get(Proforma, pid), s.get(Invoice, inv_id)
        assert (pf.state, pf.converted_invoice_id) == ("converted", inv_id)
        assert (inv.number, inv.state, inv.proforma_id, inv.invoice_type) == ("INV-1403-00001", "issued", pid, "sale")
        assert (inv.grand_total, inv.vat_amount, inv.balance) == (pf.grand_total, pf.vat_amount, pf.grand_total)
        def rows(model: Any, fk: Any, i: int) -> list[tuple[Any, ...]]:
            return [tuple(getattr(li, n) for n in LINE_COPIED)
                    for li in s.scalars(select(model).where(fk == i).order_by(model.position))]
        assert rows(InvoiceLine, InvoiceLine.invoice_id, inv_id) == rows(ProformaLine, ProformaLine.proforma_id, pid)
        assert s.scalar(select(func.count()).select_from(Invoice)) == 1


def test_direct_invoice_void_keeps_its_number_and_numbers_are_never_reused(kernel: Any) -> None:
    w = world(kernel)
    header = {"partner_id": w["customer"], "date": jdate(1403, 7, 1), "invoice_type": "warranty"}
    with kernel.session(w["actor"]) as s:
        first = issuing.invoice_directly(kernel, s, w["actor"], header, three_lines(w)).id
    with pytest.raises(FormErrors) as err, kernel.session(w["actor"]) as s:
        issuing.void_invoice(kernel, s, w["actor"], first, "  ")
    assert "reason" in err.value.errors
    with kernel.session(w["actor"]) as s:
        issuing.void_invoice(kernel, s, w["actor"], first, "صادر شده به اشتباه")
    with kernel.session(w["actor"]) as s:
        second = issuing.invoice_directly(kernel, s, w["actor"], header, three_lines(w)).id
    with kernel.sessions() as s:
        a, b = s.get(Invoice, first), s.get(Invoice, second)
        assert (a.number, a.state, a.void_reason, a.balance) == ("INV-1403-00001", "void", "صادر شده به اشتباه", 0)
        assert a.grand_total > 0 and a.deleted_at is None  # never zeroed, never deleted
        assert (b.number, b.invoice_type) == ("INV-1403-00002", "warranty")


def test_a_failed_save_leaves_no_half_document_and_no_used_number(kernel: Any) -> None:
    w = world(kernel)
    bad = [*three_lines(w), {"product_id": w["carpet"], "quantity": "-1"}]
    with pytest.raises(FormErrors) as err, kernel.session(w["actor"]) as s:
        issuing.invoice_directly(kernel, s, w["actor"], {"partner_id": w["customer"], "date": jdate(1403, 7, 1)}, bad)
    assert err.value.errors["line4.quantity"].msgid == "The quantity must be more than zero"
    with kernel.session(w["actor"]) as s:
        inv = issuing.invoice_directly(kernel, s, w["actor"], {"partner_id": w["customer"],
                                                                "date": jdate(1403, 7, 1)}, three_lines(w))
        assert inv.number == "INV-1403-00001"
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Invoice)) == 1
        assert s.scalar(select(func.count()).select_from(InvoiceLine)) == 3


def test_receipts_settle_and_a_receipt_above_the_balance_is_refused(kernel: Any) -> None:
    w = world(kernel)
    with kernel.session(w["actor"]) as s:
        inv = issuing.invoice_directly(kernel, s, w["actor"], {"partner_id": w["customer"], "date": jdate(1403, 7, 1)},
                                       three_lines(w))
        inv_id, total = inv.id, inv.grand_total
    with kernel.session(w["actor"]) as s:
        receipts.receive_cash(kernel, s, w["actor"], inv_id, 10_000_000, jdate(1403, 7, 2))
    with pytest.raises(FormErrors) as err, kernel.session(w["actor"]) as s:
        receipts.receive_cash(kernel, s, w["actor"], inv_id, total, jdate(1403, 7, 3))
    assert err.value.errors["amount"].msgid.startswith("The amount is more than the open balance")
    # The balance in the refusal is money as everywhere: Persian digits and separator, the unit.
    refusal = kernel.catalog.message("fa", err.value.errors["amount"])
    assert refusal == f"مبلغ از مانده فاکتور ({format_money(total - 10_000_000, 'rial', 'fa')}) بیشتر است", refusal
    assert "," not in refusal and "ریال" in refusal
    # A clerk who reads Tomans reads the balance in Tomans.
    with kernel.session() as s:
        s.get(User, w["uid"]).money_unit = "toman"
    toman = actor_of(kernel, w["uid"])
    with pytest.raises(FormErrors) as err, kernel.session(toman) as s:
        receipts.receive_cash(kernel, s, toman, inv_id, total, jdate(1403, 7, 3))
    refusal = kernel.catalog.message("fa", err.value.errors["amount"])
    assert format_money(total - 10_000_000, "toman", "fa") in refusal and "تومان" in refusal, refusal
    with kernel.sessions() as s:
        assert s.get(Invoice, inv_id).balance == total - 10_000_000
    with kernel.session(w["actor"]) as s:
        receipts.receive_cash(kernel, s, w["actor"], inv_id, total - 10_000_000, jdate(1403, 7, 3))
    with kernel.sessions() as s:
        inv = s.get(Invoice, inv_id)
        assert (inv.received, inv.balance) == (total, 0)
    # Settled: voiding needs the money given back first.
    with pytest.raises(Conflict), kernel.session(w["actor"]) as s:
        issuing.void_invoice(kernel, s, w["actor"], inv_id, "اشتباه")


def test_editing_an_issued_invoice_needs_its_permission_and_is_in_its_history(kernel: Any) -> None:
    w = world(kernel, perms=("finance.invoice.*", "finance.product.view", "base.partner.*"))
    boss = world(kernel, username="boss")
    with kernel.session(w["actor"]) as s:
        inv = issuing.invoice_directly(kernel, s, w["actor"], {"partner_id": w["customer"], "date": jdate(1403, 7, 1)},
                                       three_lines(w))
        inv_id = inv.id
        line_id = drafts.lines_of(s, inv)[0].id
    # "finance.invoice.*" holds edit_issued: a clerk with only the resource's actions does not.
    from kernel.testing import actor_of, create_user

    clerk = actor_of(kernel, create_user(kernel, "clerk", perms=("finance.invoice.view", "finance.invoice.edit",
                                                                  "finance.product.view", "base.partner.view")))
    with pytest.raises(Conflict), kernel.session(clerk) as s:
        drafts.update_line(kernel, s, clerk, INVOICE, inv_id, line_id, {"quantity": "3"})
    with kernel.session(boss["actor"]) as s:
        drafts.update_line(kernel, s, boss["actor"], INVOICE, inv_id, line_id, {"quantity": "3"})
    with kernel.sessions() as s:
        inv = s.get(Invoice, inv_id)
        assert inv.net_amount == 33_750_000 + 3_000_000 + 1_500_000  # 3 carpets − 10 %, the rest as before
        assert inv.balance == inv.grand_total
        notes = s.scalars(select(History.changes).where(History.table_name == "finance_invoice",
                                                        History.record_id == inv_id)).all()
        assert any("× 2 ×" in n and "× 3 ×" in n for n in notes), notes


def test_bad_line_input_is_refused_on_its_field(kernel: Any) -> None:
    w = world(kernel)
    pid = _proforma(kernel, w, jdate(1403, 1, 1))
    cases = [({"product_id": w["carpet"], "quantity": "-2"}, "quantity"),
             ({"product_id": w["carpet"], "quantity": "1", "unit_price": "دوازده"}, "unit_price"),
             ({"product_id": w["carpet"], "quantity": "1", "discount_kind": "rial",
               "discount_value": "12500001"}, "discount_value"),
             ({"product_id": w["carpet"], "quantity": "1", "discount_value": "120"}, "discount_value"),
             ({"quantity": "1"}, "product_id")]
    for values, field in cases:
        with pytest.raises(FormErrors) as err, kernel.session(w["actor"]) as s:
            drafts.add_line(kernel, s, w["actor"], PROFORMA, pid, values)
        assert field in err.value.errors, (values, err.value.errors)
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).where(ProformaLine.proforma_id == pid)) == 3


def test_convert_needs_its_permission(kernel: Any) -> None:
    w = world(kernel, perms=("finance.proforma.view", "finance.proforma.create", "finance.proforma.edit",
                             "finance.invoice.create", "finance.product.view", "base.partner.*"))
    pid = _proforma(kernel, w, jdate(1403, 1, 1))
    with pytest.raises(PermissionDenied), kernel.session(w["actor"]) as s:
        issuing.convert(kernel, s, w["actor"], pid)
