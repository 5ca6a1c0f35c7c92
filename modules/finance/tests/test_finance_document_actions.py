"""The web paths of cancelling a proforma and voiding an invoice from its page, and a receipt's
edit, delete and restore recounting its invoice's balance: each refusal a Persian message with
nothing changed, no 500 for anything typed, the record scope on every path."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from kernel.testing import create_user, csrf
from modules.finance.models import Invoice, Proforma, Receipt
from modules.finance.services import issuing, receipts
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.report_helpers import ALL, invoice, line, proforma, provinces_world

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _post(c: Any, url: str, page: str, **data: str) -> Any:
    return c.post(url, data={"csrf": csrf(c, page), **data}, follow_redirects=True)


def _doc(kernel: Any, model: Any, rid: int) -> Any:
    with kernel.sessions() as s:
        doc = s.get(model, rid)
        s.expunge(doc)
        return doc


def test_cancelling_a_proforma_from_its_page(kernel: Any, web_client: Any) -> None:
    from modules.finance.models.follow_up import CancelReason

    w = provinces_world(kernel)
    pf = proforma(kernel, w["boss"], w["vanak"], jdate(1405, 1, 10), [line(w["carpet"])])
    with kernel.sessions() as s:
        reason = s.scalars(select(CancelReason).where(CancelReason.active.is_(True)).order_by(CancelReason.id)).first()
        reason_id, reason_name = reason.id, reason.name
    c = web_client(kernel, "boss")
    url = f"/finance/proforma/{pf}/cancel"
    # The page's "cancel" (its context-menu link) opens the follow-up form's cancel part (FIN-05).
    confirm = c.get(url)
    assert confirm.status_code == 200 and 'name="reason_id"' in confirm.text and "PF-۱۴۰۵-۰۰۰۰۱" in confirm.text
    # No reason chosen: told, nothing changed.
    r = _post(c, url, url, reason_id="", cancel_note="بدون علت")
    assert "یکی از علت‌های فهرست را انتخاب کنید" in r.text and _doc(kernel, Proforma, pf).state == "issued"
    # A note longer than the follow-up note's limit is refused on it, nothing changed.
    r = _post(c, url, url, reason_id=str(reason_id), cancel_note="ب" * 2001)
    assert r.status_code == 400 and _doc(kernel, Proforma, pf).state == "issued"
    r = _post(c, url, url, reason_id=str(reason_id), cancel_note="مشتری منصرف شد")
    assert r.status_code == 200 and r.url.path == f"/finance/proforma/{pf}"
    doc = _doc(kernel, Proforma, pf)
    assert doc.state == "cancelled" and doc.cancel_reason == reason_name
    # Cancelled: cancelling again, converting or issuing is refused in Persian, nothing made.
    again = _post(c, url, url, reason_id=str(reason_id))
    assert "تبدیل‌شده یا لغوشده" in again.text
    converted = c.post(f"/finance/proforma/{pf}/convert", data={"csrf": csrf(c, url)}, follow_redirects=True)
    assert converted.status_code == 200
    with kernel.sessions() as s:
        assert s.scalars(select(Invoice)).all() == [] and s.get(Proforma, pf).cancel_reason == doc.cancel_reason
    # Isfahan's clerk cannot reach Tehran's proforma; a user without the edit permission is refused.
    other = proforma(kernel, w["boss"], w["vanak"], jdate(1405, 1, 11), [line(w["carpet"])])
    isf = web_client(kernel, "isf")
    assert isf.get(f"/finance/proforma/{other}/cancel").status_code == 404
    r = isf.post(f"/finance/proforma/{other}/cancel", data={"csrf": csrf(isf, "/"), "reason_id": str(reason_id)})
    assert r.status_code == 404 and _doc(kernel, Proforma, other).state == "issued"
    create_user(kernel, "viewer", perms=("finance.proforma.view", "base.partner.view"))
    viewer = web_client(kernel, "viewer")
    r = viewer.post(f"/finance/proforma/{other}/cancel", data={"csrf": csrf(viewer, "/"), "reason_id": str(reason_id)})
    assert r.status_code == 403 and _doc(kernel, Proforma, other).state == "issued"


def test_voiding_an_invoice_from_its_page_after_its_receipts_are_removed(kernel: Any, web_client: Any) -> None:
    w = provinces_world(kernel)
    create_user(kernel, "keeper", perms=(*ALL, "kernel.trash.view"))
    inv = invoice(kernel, w["boss"], w["gaz"], jdate(1405, 1, 10), [line(w["carpet"])])  # 11,000,000
    with kernel.session(w["boss"]) as s:
        rid = receipts.receive_cash(kernel, s, w["boss"], inv, 4_000_000, jdate(1405, 1, 12)).id
    c = web_client(kernel, "keeper")
    url = f"/finance/invoice/{inv}/void"
    assert c.get(url).status_code == 200
    r = _post(c, url, url, reason="اشتباه")
    assert "ابتدا دریافت‌ها را حذف کنید" in r.text
    assert (_doc(kernel, Invoice, inv).state, _doc(kernel, Invoice, inv).balance) == ("issued", 7_000_000)
    # The receipt goes to the recycle bin: the balance is whole again; then the void is accepted.
    c.post(f"/finance/receipt/{rid}/delete", data={"csrf": csrf(c, f"/finance/receipt/{rid}")})
    assert (_doc(kernel, Invoice, inv).received, _doc(kernel, Invoice, inv).balance) == (0, 11_000_000)
    assert "علت را بنویسید" in _post(c, url, url, reason="").text
    r = _post(c, url, url, reason="مبلغ اشتباه")
    doc = _doc(kernel, Invoice, inv)
    assert (doc.state, doc.number, doc.balance, doc.void_reason) == ("void", "INV-1405-00001", 0, "مبلغ اشتباه")
    assert "باطل" in r.text
    # Restoring the receipt of a void invoice is refused in Persian; it stays in the bin.
    r = c.post("/trash", data={"csrf": csrf(c, "/trash"), "resource": "finance.receipt", "id": str(rid),
                               "op": "restore"}, follow_redirects=True)
    assert r.status_code == 200 and "فقط برای فاکتور صادرشده" in r.text
    with kernel.sessions() as s:
        assert s.get(Receipt, rid).deleted_at is not None
        assert (s.get(Invoice, inv).state, s.get(Invoice, inv).received, s.get(Invoice, inv).balance) == ("void", 0, 0)
    assert "فقط فاکتور صادرشده باطل می‌شود" in _post(c, url, url, reason="باز هم").text


def test_a_receipt_edited_deleted_and_restored_recounts_the_balance(kernel: Any, web_client: Any) -> None:
    w = provinces_world(kernel)
    create_user(kernel, "keeper", perms=(*ALL, "kernel.trash.view"))
    inv = invoice(kernel, w["boss"], w["gaz"], jdate(1405, 1, 10), [line(w["carpet"])])  # 11,000,000
    other = invoice(kernel, w["boss"], w["gaz"], jdate(1405, 1, 11), [line(w["repair"])])  # 2,000,000
    with kernel.session(w["boss"]) as s:
        rid = receipts.receive_cash(kernel, s, w["boss"], inv, 4_000_000, jdate(1405, 1, 12)).id

    def amounts() -> tuple[int, int]:
        doc = _doc(kernel, Invoice, inv)
        return doc.received, doc.balance

    c = web_client(kernel, "keeper")
    edit = f"/finance/receipt/{rid}/edit"
    form = {"invoice_id": str(inv), "date": "۱۴۰۵/۰۱/۱۲", "method": "cash"}
    r = c.post(edit, data={"csrf": csrf(c, edit), **form, "amount": "۶٬۰۰۰٬۰۰۰"}, follow_redirects=False)
    assert r.status_code == 303 and amounts() == (6_000_000, 5_000_000)
    # More than the invoice's total, another invoice, or nothing: refused on the field, nothing changed.
    for change, words in (({"amount": "۱۲٬۰۰۰٬۰۰۰"}, "از مانده فاکتور"), ({"amount": "0"}, "بیشتر از صفر"),
                          ({"amount": "۱۰۰", "invoice_id": str(other)}, "به فاکتور خودش تعلق دارد")):
        r = c.post(edit, data={"csrf": csrf(c, edit), **form, **change}, follow_redirects=False)
        assert r.status_code == 400 and words in r.text, (change, r.status_code)
        assert amounts() == (6_000_000, 5_000_000)
    # Up to the whole total is fine: the receipt's own amount counts as open for itself.
    r = c.post(edit, data={"csrf": csrf(c, edit), **form, "amount": "۱۱٬۰۰۰٬۰۰۰"}, follow_redirects=False)
    assert r.status_code == 303 and amounts() == (11_000_000, 0)
    c.post(f"/finance/receipt/{rid}/delete", data={"csrf": csrf(c, f"/finance/receipt/{rid}")})
    assert amounts() == (0, 11_000_000)
    restore = {"csrf": csrf(c, "/trash"), "resource": "finance.receipt", "id": str(rid), "op": "restore"}
    c.post("/trash", data=restore)
    assert amounts() == (11_000_000, 0)
    # Deleted again, and meanwhile a new receipt took part of the balance: the old one no longer
    # fits, so its restore is refused, in Persian, and the balance stays as it is.
    c.post(f"/finance/receipt/{rid}/delete", data={"csrf": csrf(c, f"/finance/receipt/{rid}")})
    with kernel.session(w["boss"]) as s:
        receipts.receive_cash(kernel, s, w["boss"], inv, 1_000_000, jdate(1405, 1, 13))
    r = c.post("/trash", data={**restore, "csrf": csrf(c, "/trash")}, follow_redirects=True)
    assert r.status_code == 200 and "از مانده فاکتور" in r.text
    assert amounts() == (1_000_000, 10_000_000)
    with kernel.sessions() as s:
        assert s.get(Receipt, rid).deleted_at is not None
    # Isfahan's clerk cannot touch a Tehran invoice's receipt.
    tehran = invoice(kernel, w["boss"], w["vanak"], jdate(1405, 1, 10), [line(w["carpet"])])
    with kernel.session(w["boss"]) as s:
        trid = receipts.receive_cash(kernel, s, w["boss"], tehran, 1_000_000, jdate(1405, 1, 12)).id
    isf = web_client(kernel, "isf")
    assert isf.get(f"/finance/receipt/{trid}/edit").status_code == 404
    isf.post(f"/finance/receipt/{trid}/delete", data={"csrf": csrf(isf, "/")})
    with kernel.sessions() as s:
        assert s.get(Receipt, trid).deleted_at is None and s.get(Invoice, tehran).balance == 10_000_000
    assert issuing  # the services the pages call
