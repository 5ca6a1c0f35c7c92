"""INT-04 for products: an xlsx with Persian headers and Persian digits goes through base's
importer (mapping guessed, preview, the batch job, errors by line), a bad line is reported with
its reason and the others go in; a known code is skipped or updated as chosen; the product list
exports to xlsx with Persian headers."""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from kernel.jobs import run_due
from kernel.testing import create_record, create_user, csrf
from modules.base.models.imports import Import
from modules.finance.models import Product

HEADERS = ["نام کالا", "کد کالا", "قیمت فروش", "واحد", "گروه کالا", "نوع", "پورسانت بازاریاب"]
ROWS = [
    ["فرش ماشینی ۷۰۰ شانه", "F-700", "۱۲٬۵۰۰٬۰۰۰", "تخته", "فرش", "کالا", "۲٫۵"],
    ["نصب و شستشو", "S-1", "۸۵۰۰۰۰", "", "", "خدمت", ""],
    ["پادری", "P-1", "ده هزار", "عدد", "فرش", "کالا", ""],          # line 4: a price in letters
    ["گلیم", "G-1", "۳٬۰۰۰٬۰۰۰", "تخته", "گلیم‌های دستباف", "کالا", ""],  # line 5: no such group
    ["فرش قدیمی با کد تکراری", "OLD-1", "۱", "تخته", "", "کالا", ""],   # line 6: the code exists
]


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _drain(kernel: Any) -> None:
    while run_due(kernel) > 0:
        pass


def _guessed(html: str) -> dict[str, str]:
    out = {}
    for m in re.finditer(r'<select name="(col_\d+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', m.group(2))
        out[m.group(1)] = chosen.group(1) if chosen else ""
    return out


def test_products_are_imported_from_xlsx_and_a_bad_line_is_reported(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(edition="tier3")
    uid = create_user(k, "sara", perms=("finance.product.*", "finance.product_group.view"))
    create_user(k, "reza", perms=("finance.product.view", "finance.product.create"))
    create_record(k, None, "finance.product_group", name="فرش")
    create_record(k, uid, "finance.product", name="فرش قدیمی", code="OLD-1", price=5)
    c = web_client(k, "sara")
    r = c.post("/finance/import/product/", data={"csrf": csrf(c, "/finance/import/product/")},
               files={"file": ("کالاها.xlsx", _xlsx(ROWS))}, follow_redirects=False)
    assert r.status_code == 303, r.text[-1500:]
    import_id = int(r.headers["location"].rstrip("/").split("/")[-2])
    page = c.get(f"/finance/import/product/{import_id}/mapping")
    assert page.status_code == 200 and "درون‌ریزی کالاها" in page.text and "فیلد کالا" in page.text
    cols = _guessed(page.text)
    assert list(cols.values()) == ["name", "code", "price", "unit", "group_id", "kind", "marketer_commission"]
    # The preview already shows the bad lines' reasons, in Persian, nothing written yet.
    assert "عدد معتبر نیست" in page.text and "در فهرست نیست: گلیم‌های دستباف" in page.text
    assert "۱۲٬۵۰۰٬۰۰۰" in page.text
    r = c.post(f"/finance/import/product/{import_id}/mapping",
               data={"csrf": csrf(c, f"/finance/import/product/{import_id}/mapping"), "mode": "skip",
                     "action": "start", **cols}, follow_redirects=False)
    assert r.status_code == 303, r.text[-1500:]
    _drain(k)
    status = c.get(f"/finance/import/product/{import_id}/status").json()
    assert (status["status"], status["created"], status["skipped"], status["failed"]) == ("done", 2, 1, 2)
    report = c.get(f"/finance/import/product/{import_id}").text
    assert "عدد معتبر نیست: ده هزار" in report and "قیمت فروش" in report
    with k.sessions() as s:
        made = {p.code: p for p in s.scalars(select(Product).where(Product.code.in_(["F-700", "S-1"])))}
        assert made["F-700"].price == 12_500_000 and str(made["F-700"].marketer_commission) == "2.50"
        assert made["F-700"].group_id is not None and made["S-1"].kind == "service" and made["S-1"].price == 850_000
        assert s.scalar(select(Product.price).where(Product.code == "OLD-1")) == 5
        assert s.scalar(select(Product.id).where(Product.code == "P-1")) is None
        # The import is a product import: the partner pages do not know it.
        assert s.get(Import, import_id).resource == "finance.product"
    assert c.get(f"/base/import/{import_id}").status_code in (403, 404)
    # Updating with the same file: the known codes get the cells' values.
    r = c.post("/finance/import/product/", data={"csrf": csrf(c, "/finance/import/product/")},
               files={"file": ("again.xlsx", _xlsx([["فرش ماشینی ۷۰۰ شانه", "F-700", "۱۳٬۰۰۰٬۰۰۰", "", "", "", ""]]))},
               follow_redirects=False)
    again = int(r.headers["location"].rstrip("/").split("/")[-2])
    c.post(f"/finance/import/product/{again}/mapping",
           data={"csrf": csrf(c, f"/finance/import/product/{again}/mapping"), "mode": "update", "action": "start",
                 **_guessed(c.get(f"/finance/import/product/{again}/mapping").text)})
    _drain(k)
    with k.sessions() as s:
        updated = s.scalars(select(Product).where(Product.code == "F-700")).one()
        assert (updated.price, updated.unit) == (13_000_000, "تخته")
    # Importing needs its own permission.
    assert web_client(k, "reza").get("/finance/import/product/").status_code == 403


def test_the_product_list_exports_to_xlsx_with_persian_headers(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(edition="tier3")
    uid = create_user(k, "sara", perms=("finance.product.*",))
    create_record(k, uid, "finance.product", name="فرش ماشینی", code="F-1", price=12_500_000)
    r = web_client(k, "sara").get("/finance/product/export.xlsx")
    assert r.status_code == 200, r.text[:500]
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert {"کد", "نام", "قیمت پایه"} <= set(rows[0])
    assert any("فرش ماشینی" in [str(c) for c in row] for row in rows[1:])
