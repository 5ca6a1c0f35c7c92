"""Proformas and invoices through the web (tier 3, no tasks): the header form with Jalali dates and
Persian digits, bad input refused on its field with nothing saved, the detail page's lines, totals
and words, convert and void from the page, receive cash from the invoice's menu, and the record
scope: a user limited to Isfahan neither sees nor issues for a Tehran customer."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from kernel.models import Role
from kernel.persian.money import format_money
from kernel.testing import create_record, create_user, csrf
from kernel.web.app import build_app
from modules.finance.models import Invoice, Proforma
from modules.finance.services import drafts, issuing
from modules.finance.tests.finance_helpers import PERMS, PROFORMA, jdate, three_lines, world

DOCS = (*PERMS, "finance.proforma.convert", "finance.invoice.edit_issued")


@pytest.fixture
def kernel(make_kernel: Any) -> Any:
    return make_kernel(edition="tier3")


def _post(c: TestClient, url: str, **data: str) -> Any:
    return c.post(url, data={"csrf": csrf(c, url if url.endswith("new") or "/edit" in url else "/"), **data},
                  follow_redirects=False)


def test_the_header_form_bad_input_and_the_page_of_a_converted_proforma(kernel: Any, login_as: Any) -> None:
    w = world(kernel, perms=DOCS)
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        ok = _post(c, "/finance/proforma/new", partner_id=str(w["customer"]), date="۱۴۰۳/۱۲/۳۰",
                   valid_until="۱۴۰۴/۰۱/۱۵", kind="goods", discount_kind="percent", discount_value="۵",
                   shipping="۵۰۰٬۰۰۰", title="پیش‌فاکتور اسفند")
        assert ok.status_code == 303, ok.text[:3000]  # 1403 is a leap year: Esfand 30 exists
        bad = [
            ({"date": "۱۴۰۴/۱۲/۳۰"}, "date", "۱۴۰۴ کبیسه نیست"),
            ({"date": "۱۴۰۴/۰۲/۰۱", "valid_until": "۱۴۰۴/۰۱/۰۱"}, "valid_until", "پایان اعتبار نمی‌تواند"),
            ({"shipping": "پانصد"}, "shipping", ""),
            ({"discount_value": "۱۲۰"}, "discount_value", "حداکثر ۱۰۰"),
        ]
        for change, field, words in bad:
            data = {"partner_id": str(w["customer"]), "date": "۱۴۰۴/۰۲/۰۱", "kind": "goods",
                    "discount_kind": "percent", **change}
            r = _post(c, "/finance/proforma/new", **data)
            assert r.status_code == 400, (change, r.status_code)
            assert words in r.text, (change, field)
        with kernel.sessions() as s:
            assert s.scalar(select(func.count()).select_from(Proforma)) == 1
            pid = s.scalars(select(Proforma.id)).one()
        with kernel.session(w["actor"]) as s:
            for line in three_lines(w):
                drafts.add_line(kernel, s, w["actor"], PROFORMA, pid, line)
        page = c.get(f"/finance/proforma/{pid}").text
        assert "فرش ۷۰۰ شانه" in page and "۲٫۵" in page and "ریال" in page and "به حروف" in page
        r = c.post(f"/finance/proforma/{pid}/issue", data={"csrf": csrf(c, f"/finance/proforma/{pid}")},
                   follow_redirects=False)
        assert r.status_code == 303
        assert c.get(f"/finance/proforma/{pid}/convert").status_code == 200
        r = c.post(f"/finance/proforma/{pid}/convert", data={"csrf": csrf(c, f"/finance/proforma/{pid}/convert")},
                   follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/finance/invoice/")
        again = c.post(f"/finance/proforma/{pid}/convert", data={"csrf": csrf(c, f"/finance/proforma/{pid}/convert")})
        assert "قبلاً به فاکتور تبدیل شده" in again.text  # the double click: told, nothing made
        listing = c.get("/finance/proforma/").text
        # Numbers read in Persian digits; the invoice's number in the "converted into" column (FAQ 26).
        assert "PF-۱۴۰۳-۰۰۰۰۱" in listing and "INV-۱۴۰۳-۰۰۰۰۱" in listing and "INV-1403-00001" not in listing
        with kernel.sessions() as s:
            inv = s.scalars(select(Invoice)).one()
        inv_page = c.get(f"/finance/invoice/{inv.id}").text
        assert "دریافت نقدی" in inv_page and "ابطال فاکتور" in inv_page
        # Receive cash from the invoice: more than the balance is refused on the field.
        r = _post(c, "/finance/receipt/new", invoice_id=str(inv.id), date="۱۴۰۴/۰۱/۰۲",
                  amount=str(inv.grand_total + 1), method="cash")
        assert r.status_code == 400 and "از مانده فاکتور" in r.text
        # The balance in the message reads as amounts on the page do (it said "(29,550,000 ریال)").
        assert f"({format_money(inv.grand_total, 'rial', 'fa')})" in r.text and f"{inv.grand_total:,}" not in r.text
        r = _post(c, "/finance/receipt/new", invoice_id=str(inv.id), date="۱۴۰۴/۰۱/۰۲",
                  amount=str(inv.grand_total), method="cash")
        assert r.status_code == 303
        assert "تسویه" in c.get("/finance/invoice/?f_settlement=settled").text
        with kernel.sessions() as s:
            assert s.get(Invoice, inv.id).balance == 0
        # Deleting an issued invoice is refused: it is voided instead (FAQ 3).
        r = c.post(f"/finance/invoice/{inv.id}/delete", data={"csrf": csrf(c, f"/finance/invoice/{inv.id}")})
        assert "آن را باطل کنید" in r.text, r.status_code
        with kernel.sessions() as s:
            assert s.get(Invoice, inv.id).deleted_at is None


def test_an_isfahan_user_neither_sees_nor_issues_for_a_tehran_customer(kernel: Any, login_as: Any,
                                                                         api_client: Any) -> None:
    from modules.base.models import Partner, Province
    from modules.base.scope_admin import set_role_scope

    w = world(kernel, perms=DOCS, username="admin2")
    with kernel.session() as s:
        isf, teh = Province(name="اصفهان", area_code="31"), Province(name="تهران", area_code="21")
        s.add_all([isf, teh])
        s.flush()
        s.add_all([Partner(kind="company", name="گز اصفهان", province_id=isf.id),
                   Partner(kind="company", name="ونک تجارت", province_id=teh.id)])
        s.flush()
        ids = {p.name: p.id for p in s.scalars(select(Partner))}
        isf_id = isf.id
    docs = {}
    for name in ("گز اصفهان", "ونک تجارت"):
        with kernel.session(w["actor"]) as s:
            doc = issuing.invoice_directly(kernel, s, w["actor"], {"partner_id": ids[name], "date": jdate(1403, 9, 1),
                                                                    "title": f"فاکتور {name}"}, three_lines(w))
            docs[name] = doc.id
    create_user(kernel, "isf", perms=DOCS + ("finance.invoice.export",))
    with kernel.session() as s:
        role = s.scalars(select(Role.id).where(Role.name == "role-isf")).one()
        set_role_scope(s, role, [isf_id], [], [])
    with TestClient(build_app(kernel)) as c:
        login_as(c, "isf")
        listing = c.get("/finance/invoice/").text
        assert "INV-۱۴۰۳-۰۰۰۰۱" in listing and "INV-۱۴۰۳-۰۰۰۰۲" not in listing
        assert c.get(f"/finance/invoice/{docs['ونک تجارت']}").status_code == 404
        csv = c.get("/finance/invoice/export.csv").text
        # A spreadsheet keeps the number as stored (ASCII), as the API gives it.
        assert "INV-1403-00001" in csv and "INV-1403-00002" not in csv and "ونک" not in csv
        r = _post(c, "/finance/invoice/new", partner_id=str(ids["ونک تجارت"]), date="۱۴۰۳/۰۹/۰۱",
                  invoice_type="sale", kind="goods", discount_kind="percent")
        assert r.status_code == 400  # the customer is not in the pickers' scope: "No such record"
        assert c.get(f"/finance/invoice/{docs['ونک تجارت']}/void").status_code == 404
    api = api_client(kernel, "isf")
    numbers = [row["number"] for row in api.get("/api/finance/invoice").json()["items"]]
    assert numbers == ["INV-1403-00001"]
    assert api.get(f"/api/finance/invoice/{docs['ونک تجارت']}").status_code == 404
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Invoice)) == 2


def test_partner_menu_offers_new_proforma_and_invoice(kernel: Any, login_as: Any) -> None:
    w = world(kernel, perms=DOCS)
    create_record(kernel, None, "base.partner", kind="person", name="رضا")
    with TestClient(build_app(kernel)) as c:
        login_as(c, "sara")
        page = c.get(f"/base/partner/{w['customer']}").text
        assert f"/finance/proforma/new?partner_id={w['customer']}" in page
        assert f"/finance/invoice/new?partner_id={w['customer']}" in page
