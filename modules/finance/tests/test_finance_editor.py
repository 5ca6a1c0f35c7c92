"""FIN-04, FAQ 27: the line editor page. Lines added, changed in place and removed through its JSON
routes (Persian digits, CSRF), the totals and the words following each change; bad input answered
in Persian beside its field with nothing saved; the line picker by name, code or barcode with
Persian digits and ی/ک; "New proforma" lands on the editor; a converted proforma is read only."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.models import History
from kernel.testing import create_record, csrf
from modules.finance.models import Proforma, ProformaLine
from modules.finance.services import drafts, issuing
from modules.finance.tests.finance_helpers import PERMS, PROFORMA, jdate, world

DOCS = (*PERMS, "finance.proforma.convert")


ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _draft(kernel: Any, w: dict[str, Any]) -> int:
    with kernel.session(w["actor"]) as s:
        return int(drafts.create_document(kernel, s, w["actor"], PROFORMA,
                                          {"partner_id": w["customer"], "date": jdate(1405, 3, 10)}).id)


def _counts(kernel: Any) -> tuple[int, int]:
    with kernel.sessions() as s:
        return (s.scalar(select(func.count()).select_from(ProformaLine)) or 0,
                s.scalar(select(func.count()).select_from(History)) or 0)


def test_lines_added_edited_and_removed_in_place_with_totals_and_words(kernel: Any, web_client: Any) -> None:
    w = world(kernel, perms=DOCS)
    pid = _draft(kernel, w)
    c = web_client(kernel, "sara")
    page = c.get(f"/finance/proforma/{pid}/lines")
    assert page.status_code == 200
    assert 'id="finance-editor"' in page.text and "/static/finance/editor.js" in page.text
    token = {"X-CSRF-Token": csrf(c, f"/finance/proforma/{pid}/lines")}
    url = f"/finance/proforma/{pid}/lines"
    # Without the token nothing is written.
    assert c.post(url, data={"op": "add", "product_id": str(w["carpet"]), "quantity": "1"}).status_code == 403
    add = c.post(url, headers=token, data={"op": "add", "product_id": str(w["carpet"]), "quantity": "۲",
                                           "discount_kind": "percent", "discount_value": "۱۰"})
    assert add.status_code == 200, add.text
    html = add.json()["html"]
    assert "۲۲٬۵۰۰٬۰۰۰ ریال" in html  # 2 × 12,500,000 − 10 %
    assert "قیمت پایه" in html  # the rule that set the price
    add = c.post(url, headers=token, data={"op": "add", "product_id": str(w["cloth"]), "quantity": "2.5",
                                           "discount_kind": "rial", "discount_value": "86418"})
    assert add.status_code == 200
    with kernel.sessions() as s:
        carpet_line, cloth_line = s.scalars(select(ProformaLine).order_by(ProformaLine.id)).all()
    # Edit in place: a third carpet.
    edit = c.post(url, headers=token, data={"op": "edit", "line": str(carpet_line.id), "quantity": "۳"})
    assert edit.status_code == 200
    assert "۳۳٬۷۵۰٬۰۰۰ ریال" in edit.json()["html"]
    # The document's discount (Rials), and shipping.
    totals = c.post(f"/finance/proforma/{pid}/totals", headers=token,
                    data={"discount_kind": "rial", "discount_value": "۱۰۰۰۰۰۰", "shipping": "۵۰۰٬۰۰۰"})
    assert totals.status_code == 200, totals.text
    with kernel.sessions() as s:
        doc = s.get(Proforma, pid)
        assert (doc.discount_amount, doc.shipping) == (1_000_000, 500_000)
        grand = doc.grand_total
    body = totals.json()["html"]
    assert f"{grand:,}".translate(str.maketrans("0123456789,", "۰۱۲۳۴۵۶۷۸۹٬")) in body
    assert "تومان" in body and "ریال" in body  # both units, the switch shows one
    # Remove a line.
    gone = c.post(url, headers=token, data={"op": "delete", "line": str(cloth_line.id)})
    assert gone.status_code == 200
    with kernel.sessions() as s:
        assert [li.id for li in s.scalars(select(ProformaLine))] == [carpet_line.id]
    # The document page links to the editor.
    doc_page = c.get(f"/finance/proforma/{pid}").text
    assert f'href="/finance/proforma/{pid}/lines"' in doc_page


def test_bad_input_is_answered_beside_its_field_and_changes_nothing(kernel: Any, web_client: Any) -> None:
    w = world(kernel, perms=DOCS)
    pid = _draft(kernel, w)
    c = web_client(kernel, "sara")
    token = {"X-CSRF-Token": csrf(c)}
    url = f"/finance/proforma/{pid}/lines"
    assert c.post(url, headers=token, data={"op": "add", "product_id": str(w["carpet"]), "quantity": "1"}).status_code == 200
    with kernel.sessions() as s:
        line_id = s.scalars(select(ProformaLine.id)).one()
    before = _counts(kernel)
    bad = [
        ({"op": "add", "product_id": str(w["carpet"]), "quantity": "-۲"}, "quantity", "بیشتر از صفر"),
        ({"op": "add", "product_id": str(w["carpet"]), "quantity": "1", "discount_kind": "rial",
          "discount_value": "۹۹٬۰۰۰٬۰۰۰"}, "discount_value", ""),
        ({"op": "add", "product_id": str(w["carpet"]), "quantity": "1", "discount_kind": "percent",
          "discount_value": "۱۲۰"}, "discount_value", ""),
        ({"op": "add", "product_id": str(w["carpet"]), "quantity": "1", "unit_price": "۱۲الف"}, "unit_price", ""),
        ({"op": "add", "quantity": "1"}, "product_id", "کالا"),
        ({"op": "add", "product_id": "abc", "quantity": "1"}, "product_id", ""),
        ({"op": "edit", "line": str(line_id), "quantity": "صفر"}, "quantity", ""),
        ({"op": "edit", "line": str(line_id), "quantity": "0"}, "quantity", "بیشتر از صفر"),
        ({"op": "edit", "line": "999999", "quantity": "1"}, None, ""),
        ({"op": "nonsense"}, None, ""),
    ]
    for data, field, words in bad:
        r = c.post(url, headers=token, data=data)
        assert 400 <= r.status_code < 500, (data, r.status_code, r.text)
        answer = r.json()
        if field is not None:
            assert field in answer["errors"], (data, answer)
            assert words in answer["errors"][field]
            assert any("\u0600" <= ch <= "\u06ff" for ch in answer["errors"][field]), answer  # Persian
        else:
            assert answer.get("error"), answer
    bad_totals = [({"discount_kind": "percent", "discount_value": "۱۵۰"}, "discount_value"),
                  ({"shipping": "-۵"}, "shipping"), ({"shipping": "پانصد"}, "shipping")]
    for data, field in bad_totals:
        r = c.post(f"/finance/proforma/{pid}/totals", headers=token, data=data)
        assert r.status_code == 400 and field in r.json()["errors"], (data, r.text)
    assert _counts(kernel) == before


def test_the_picker_finds_by_name_code_or_barcode_with_persian_digits_and_yeh_kaf(kernel: Any,
                                                                                  web_client: Any) -> None:
    w = world(kernel, perms=DOCS)
    create_record(kernel, None, "finance.product", name="کیف چرمی", code="K-123", barcode="6260001234567",
                  price=990_000)
    create_record(kernel, None, "finance.product", name="کیف قدیمی", code="K-9", active=False)
    c = web_client(kernel, "sara")

    def names(q: str) -> list[str]:
        return [i["name"] for i in c.get("/finance/sellable.json", params={"q": q}).json()["items"]]

    assert names("كيف") == ["کیف چرمی"]  # Arabic kaf and yeh find the Persian name; inactive is not offered
    assert names("K-۱۲۳") == ["کیف چرمی"]
    assert names("۶۲۶۰۰۰۱۲۳۴۵۶۷") == ["کیف چرمی"]
    assert "فرش ۷۰۰ شانه" in names("")
    pid = _draft(kernel, w)
    q = c.get(f"/finance/proforma/{pid}/quote.json", params={"product_id": str(w["carpet"]), "quantity": "۲"}).json()
    assert q["unit_price"] == "۱۲٬۵۰۰٬۰۰۰" and q["price_rule"] == "قیمت پایه"
    assert c.get(f"/finance/proforma/{pid}/quote.json", params={"product_id": "x"}).status_code == 400


def test_new_proforma_lands_on_the_editor_and_a_converted_one_is_read_only(kernel: Any, web_client: Any) -> None:
    w = world(kernel, perms=DOCS)
    c = web_client(kernel, "sara")
    form = c.get(f"/finance/proforma/new?partner_id={w['customer']}&next=/finance/proforma/%7Bid%7D/lines")
    assert form.status_code == 200
    r = c.post("/finance/proforma/new", follow_redirects=False,
               data={"csrf": csrf(c), "partner_id": str(w["customer"]), "date": "۱۴۰۵/۰۳/۱۰", "kind": "goods",
                     "discount_kind": "percent", "next": "/finance/proforma/{id}/lines"})
    assert r.status_code == 303, r.text[:2000]
    with kernel.sessions() as s:
        pid = s.scalars(select(Proforma.id)).one()
    assert r.headers["location"] == f"/finance/proforma/{pid}/lines"
    # The partner's "New proforma" menu entry carries that destination.
    assert "next=/finance/proforma/%7Bid%7D/lines" in c.get(f"/base/partner/{w['customer']}").text
    with kernel.session(w["actor"]) as s:
        drafts.add_line(kernel, s, w["actor"], PROFORMA, pid, {"product_id": w["carpet"], "quantity": "1"})
        issuing.convert(kernel, s, w["actor"], pid)
    page = c.get(f"/finance/proforma/{pid}/lines")
    assert page.status_code == 200 and "تبدیل‌شده" in page.text and "ed-new" not in page.text
    before = _counts(kernel)
    r = c.post(f"/finance/proforma/{pid}/lines", headers={"X-CSRF-Token": csrf(c)},
               data={"op": "add", "product_id": str(w["carpet"]), "quantity": "1"})
    assert r.status_code == 409 and "تبدیل‌شده" in r.json()["error"]
    assert _counts(kernel) == before
    # Without the edit permission there is no editor.
    from kernel.testing import create_user

    create_user(kernel, "viewer", perms=("finance.proforma.view", "finance.product.view", "base.partner.view"))
    v = web_client(kernel, "viewer")
    assert v.get(f"/finance/proforma/{pid}/lines").status_code == 403
