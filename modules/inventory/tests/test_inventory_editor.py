"""INV-01 editor: ``/inventory/documents/new`` starts a draft with its first scanned code, the
script's calls add lines without a reload (JSON with the lines' HTML) and say a bad code in
Persian with nothing changed, the plain forms work without the script, and a barcode scanned
with no field focused (``/scan``, a wedge or a pushed serial reader's code) goes onto the draft
being edited. Permissions and record scope: a clerk without the edit permission gets 403."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from kernel.persian.numbers import format_code
from kernel.testing import create_record, create_user, csrf, csrf_of
from modules.inventory.models import StockDocument, StockDocumentLine
from modules.inventory.tests.editor_helpers import (
    ENGINES,
    STOREKEEPER,
    carpet,
    ean13,
    inventory_kernel,
    product,
)

JSON = {"accept": "application/json"}
CARD = "6037991234567890"


def _lines(kernel: Any, doc_id: int) -> list[tuple[int, Decimal]]:
    with kernel.sessions() as s:
        return [(ln.product_id, Decimal(ln.quantity).normalize()) for ln in s.scalars(
            select(StockDocumentLine).where(StockDocumentLine.document_id == doc_id)
            .order_by(StockDocumentLine.position))]


@pytest.mark.parametrize("engine", ENGINES)
def test_the_editor_adds_scanned_codes_and_refuses_bad_ones(make_kernel: Any, web_client: Any, engine: str) -> None:
    kernel = inventory_kernel(make_kernel, engine)
    create_user(kernel, "anbardar", perms=STOREKEEPER)
    create_user(kernel, "clerk", perms=("inventory.document.view", "finance.product.view"))
    tea = product(kernel, "چای ممتاز", "TEA-1", ean13("626123456789"))
    parent, variants = carpet(kernel)
    c = web_client(kernel, "anbardar")

    page = c.get("/inventory/documents/new?kind=receipt")
    assert page.status_code == 200 and "رسید انبار" in page.text and "انبار مرکزی" in page.text
    # A first code of no product: the new page again with the message and what was typed, no draft.
    refused = c.post("/inventory/documents/new", data={"csrf": csrf_of(page.text), "kind": "receipt",
                                                       "date": "۱۴۰۵/۰۹/۱۶", "code": "۹۹۹", "notes": "بار صبح"})
    assert refused.status_code == 422 and f"هیچ کالایی کد یا بارکد {format_code('999')} را ندارد" in refused.text
    assert "بار صبح" in refused.text and "۱۴۰۵/۰۹/۱۶" in refused.text
    with kernel.sessions() as s:
        assert s.scalar(select(StockDocument.id)) is None
    # The new page's scan input sends the header with the first code: the draft opens with it.
    resp = c.post("/inventory/documents/new", data={"csrf": csrf_of(page.text), "kind": "receipt",
                                                    "date": "۱۴۰۵/۰۹/۱۶", "code": "۶۲۶۱۲۳۴۵۶۷۸۹۷"},
                  follow_redirects=False)
    assert resp.status_code == 303
    url = resp.headers["location"]
    doc_id = int(url.split("/")[3])
    with kernel.sessions() as s:
        doc = s.get(StockDocument, doc_id)
        assert (doc.kind, doc.state, doc.date.isoformat()) == ("receipt", "draft", "2026-12-07")
    editor = c.get(url)
    assert editor.status_code == 200 and "چای ممتاز" in editor.text and 'dir="ltr"' in editor.text
    token = csrf_of(editor.text)

    # The script's call: the same barcode again is one line of two, answered with the lines' HTML.
    added = c.post(f"/inventory/documents/{doc_id}/lines", data={"csrf": token, "code": "6261234567897"}, headers=JSON)
    assert added.status_code == 200 and added.json()["ok"] and added.json()["count"] == 1
    assert "افزوده شد: چای ممتاز" == added.json()["message"] and "۲" in added.json()["lines"]
    added = c.post(f"/inventory/documents/{doc_id}/lines", data={"csrf": token, "code": " KSH-12M-RD ",
                                                                 "quantity": "۳"}, headers=JSON)
    assert added.json()["count"] == 2
    assert _lines(kernel, doc_id) == [(tea, Decimal(2)), (variants["KSH-12M-RD"], Decimal(3))]

    # Bad input: Persian, 422, nothing changed.
    for data, said in (({"code": "4006381333931"}, f"هیچ کالایی کد یا بارکد {format_code('4006381333931')} را ندارد"),
                       ({"code": "KSH"}, "«فرش کاشان» تنوع دارد"),
                       ({"code": "\x00 "}, "کد یا بارکد کالا را اسکن یا وارد کنید"),  # PostgreSQL refuses NUL
                       ({"code": "TEA-1", "quantity": "0"}, "تعداد باید بیشتر از صفر باشد"),
                       ({"code": "TEA-1", "quantity": "سه"}, "عدد"),
                       ({"code": "TEA-1", "serials": "A1\nA1", "quantity": "2"}, "شماره سریال A1 دو بار آمده است")):
        refused = c.post(f"/inventory/documents/{doc_id}/lines", data={"csrf": token, **data}, headers=JSON)
        assert refused.status_code == 422 and said in refused.json()["error"], (data, refused.text)
    assert _lines(kernel, doc_id) == [(tea, Decimal(2)), (variants["KSH-12M-RD"], Decimal(3))]

    # Without the script: the form posts, the page comes back (with the refusal in place on 422).
    plain = c.post(f"/inventory/documents/{doc_id}/lines", data={"csrf": token, "code": "TEA-1"}, follow_redirects=False)
    assert plain.status_code == 303 and plain.headers["location"] == url
    plain = c.post(f"/inventory/documents/{doc_id}/lines", data={"csrf": token, "code": "۱۲۳"})
    assert plain.status_code == 422 and f"هیچ کالایی کد یا بارکد {format_code('123')} را ندارد" in plain.text
    with kernel.sessions() as s:
        tea_line, rug_line = [ln.id for ln in s.scalars(select(StockDocumentLine).where(
            StockDocumentLine.document_id == doc_id).order_by(StockDocumentLine.position))]
    saved = c.post(f"/inventory/documents/{doc_id}/lines/{rug_line}", headers=JSON,
                   data={"csrf": token, "quantity": "۴", "unit_cost": "۲۵٬۰۰۰٬۰۰۰", "serials": ""})
    assert saved.json()["ok"], saved.text
    removed = c.post(f"/inventory/documents/{doc_id}/lines/{tea_line}/remove", data={"csrf": token}, headers=JSON)
    assert removed.json()["ok"]
    with kernel.sessions() as s:
        line = s.scalars(select(StockDocumentLine).where(StockDocumentLine.document_id == doc_id)).one()
        assert (line.product_id, Decimal(line.quantity), line.unit_cost) == (variants["KSH-12M-RD"], 4, 25_000_000)

    # A wedge scan that landed in no field (or a serial reader's, pushed): /scan adds it here.
    answer = c.post("/scan", json={"code": ean13("626123456789"), "format": "ean13", "page": url},
                    headers={"X-CSRF-Token": csrf(c)}).json()
    assert answer["reload"] and answer["message"] == "افزوده شد: چای ممتاز"
    answer = c.post("/scan", json={"code": "4006381333931", "format": "ean13", "page": url},
                    headers={"X-CSRF-Token": csrf(c)}).json()
    assert not answer.get("reload") and format_code("4006381333931") in answer["message"]
    # A club card swiped there is no product: base's answer (its holder's profile) wins.
    holder = create_record(kernel, None, "base.partner", kind="person", name="زهرا رضایی", card_number=CARD)
    answer = c.post("/scan", json={"code": CARD, "format": "track1", "page": url},
                    headers={"X-CSRF-Token": csrf(c)}).json()
    assert answer["open"] == f"/base/partner/{holder}/profile"
    assert _lines(kernel, doc_id) == [(variants["KSH-12M-RD"], Decimal(4)), (tea, Decimal(1))]

    clerk = web_client(kernel, "clerk")
    assert clerk.get(url).status_code == 403
    assert clerk.post(f"/inventory/documents/{doc_id}/lines", data={"csrf": csrf(clerk), "code": "TEA-1"},
                      headers=JSON).status_code == 403
    assert _lines(kernel, doc_id) == [(variants["KSH-12M-RD"], Decimal(4)), (tea, Decimal(1))]
    assert parent not in {p for p, _ in _lines(kernel, doc_id)}

    # Posting from the editor moves the stock; the posted document no longer takes lines.
    posted = c.post(f"{url[:-5]}/post", data={"csrf": token}, follow_redirects=False)
    assert posted.status_code == 303
    with kernel.sessions() as s:
        from modules.inventory.services.stock import default_warehouse_id, level_of

        central = int(default_warehouse_id(s) or 0)
        assert s.get(StockDocument, doc_id).state == "posted"
        assert level_of(s, variants["KSH-12M-RD"], central).on_hand == 4 and level_of(s, tea, central).on_hand == 1
    late = c.post(f"/inventory/documents/{doc_id}/lines", data={"csrf": token, "code": "TEA-1"}, headers=JSON)
    assert late.status_code == 422 and late.json()["error"] == "فقط سند پیش‌نویس را می‌شود تغییر داد"
    shown = c.get(url)
    assert shown.status_code == 200 and "RCV-" in shown.text and "data-inv-scan" not in shown.text

    # An issue of more than is on hand: marked on its line at once, refused on posting in Persian
    # in place, still a draft. A transfer's page asks where the goods go.
    new = c.get("/inventory/documents/new?kind=issue")
    assert "حوالهٔ خروج" in new.text
    made = c.post("/inventory/documents/new", data={"csrf": csrf_of(new.text), "kind": "issue", "code": "TEA-1",
                                                    "quantity": "۵"}, follow_redirects=False)
    issue_url = made.headers["location"]
    issue_id = int(issue_url.split("/")[3])
    assert "بیش از موجودیِ قابل برداشت" in c.get(issue_url).text
    refused = c.post(f"/inventory/documents/{issue_id}/post", data={"csrf": token})
    assert refused.status_code == 422 and "موجودی چای ممتاز در انبار مرکزی کافی نیست" in refused.text
    with kernel.sessions() as s:
        assert s.get(StockDocument, issue_id).state == "draft"
    assert "انبار مقصد" in c.get("/inventory/documents/new?kind=transfer").text
