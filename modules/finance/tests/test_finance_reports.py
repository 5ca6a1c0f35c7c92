"""The finance reports' figures against hand-computed ones, from documents made through the
services (FIN-12, FIN-17, FAQ 8, FAQ 11); an Isfahan user's reports leave Tehran out; the page,
the xlsx (Persian headers) and the PDF (Persian digits).

The documents (VAT 10 %; a carpet is 10,000,000 Rials and taxed, a repair 2,000,000 and exempt):

| doc | customer | date | lines | total | notes |
|---|---|---|---|---|---|
| invoice A | Isfahan's | 1404/03/01 | 2 carpets | 22,000,000 | open |
| invoice B | Isfahan's | 1405/01/15 | 1 carpet + 1 repair | 13,000,000 | 3,000,000 received |
| invoice C | Tehran's | 1405/02/01 | 3 repairs (services) | 6,000,000 | open |
| invoice D | Tehran's | 1405/02/02 | 1 carpet | 11,000,000 | void |
| proforma P1 | Isfahan's | 1405/01/10 | 1 carpet, marketer Maryam | 11,000,000 | issued |
| proforma P2 | Isfahan's | 1405/01/11 | 1 repair (services), marketer Maryam | 2,000,000 | draft |
| proforma P3 | Tehran's | 1405/02/01 | 1 repair (services) | 2,000,000 | cancelled |
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from kernel.testing import pdf_words
from kernel.timezone import local_today
from modules.finance import reports
from modules.finance.report_sales import sales_by_product
from modules.finance.services import issuing, receipts
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.report_helpers import invoice, line, proforma, provinces_world

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _documents(kernel: Any) -> dict[str, Any]:
    w = provinces_world(kernel)
    boss, c, r = w["boss"], w["carpet"], w["repair"]
    w["A"] = invoice(kernel, boss, w["gaz"], jdate(1404, 3, 1), [line(c, "2")])
    w["B"] = invoice(kernel, boss, w["gaz"], jdate(1405, 1, 15), [line(c), line(r)])
    w["C"] = invoice(kernel, boss, w["vanak"], jdate(1405, 2, 1), [line(r, "3")], kind="service",
                     invoice_type="service")
    w["D"] = invoice(kernel, boss, w["vanak"], jdate(1405, 2, 2), [line(c)])
    proforma(kernel, boss, w["gaz"], jdate(1405, 1, 10), [line(c)], marketer_id=w["marketer"])
    proforma(kernel, boss, w["gaz"], jdate(1405, 1, 11), [line(r)], issue=False, marketer_id=w["marketer"],
             kind="service")
    p3 = proforma(kernel, boss, w["vanak"], jdate(1405, 2, 1), [line(r)], kind="service")
    with kernel.session(boss) as s:
        receipts.receive_cash(kernel, s, boss, w["B"], 3_000_000, jdate(1405, 1, 20))
        issuing.void_invoice(kernel, s, boss, w["D"], "اشتباه در مبلغ")
        issuing.cancel_proforma(kernel, s, boss, p3, "مشتری منصرف شد")
    return w


def _run(kernel: Any, query: Any, actor: Any, **params: str) -> tuple[list[str], list[list[Any]]]:
    with kernel.sessions() as s:
        answer = query(session=s, actor=actor, params=params, kernel=kernel, lang="fa")
    return answer[0], answer[1]  # a paged report (c) also answers its next page's cursor


def test_each_report_against_the_hand_computed_figures_and_the_scope(kernel: Any) -> None:
    w = _documents(kernel)
    boss, isf = w["boss"], w["isf"]
    today = local_today(kernel.config.timezone)
    days = [(today - jdate(*d)).days for d in ((1404, 3, 1), (1405, 1, 15), (1405, 2, 1))]

    # (a) Unsettled invoices, oldest first, with the days since each invoice's date and a total row.
    cols, rows = _run(kernel, reports.unsettled_invoices, boss)
    assert cols[-1] == "Days overdue"
    assert rows == [
        ["گز اصفهان", "\u2066INV-۱۴۰۴-۰۰۰۰۱\u2069", "۱۴۰۴/۰۳/۰۱", 22_000_000, 0, 22_000_000, days[0]],
        ["گز اصفهان", "\u2066INV-۱۴۰۵-۰۰۰۰۱\u2069", "۱۴۰۵/۰۱/۱۵", 13_000_000, 3_000_000, 10_000_000, days[1]],
        ["ونک تجارت", "\u2066INV-۱۴۰۵-۰۰۰۰۲\u2069", "۱۴۰۵/۰۲/۰۱", 6_000_000, 0, 6_000_000, days[2]],
        ["جمع", "", "", 41_000_000, 3_000_000, 38_000_000, ""],
    ]
    _, rows = _run(kernel, reports.unsettled_invoices, isf)
    assert [r[0] for r in rows] == ["گز اصفهان", "گز اصفهان", "جمع"] and rows[-1][5] == 32_000_000
    _, rows = _run(kernel, reports.unsettled_invoices, boss, days=str(days[1]))
    assert [r[5] for r in rows] == [22_000_000, 10_000_000, 32_000_000]  # open at least that long

    # (b) Proformas by marketer and state: counts and Rial totals.
    _, rows = _run(kernel, reports.proformas_by_marketer, boss)
    assert rows == [["مریم بازاریاب", "پیش‌نویس", 1, 2_000_000], ["مریم بازاریاب", "صادرشده", 1, 11_000_000],
                    ["بدون بازاریاب", "لغو شده", 1, 2_000_000]]
    _, rows = _run(kernel, reports.proformas_by_marketer, isf)
    assert rows == [["مریم بازاریاب", "پیش‌نویس", 1, 2_000_000], ["مریم بازاریاب", "صادرشده", 1, 11_000_000]]
    _, rows = _run(kernel, reports.proformas_by_marketer, boss, **{"from": "۱۴۰۵/۰۱/۱۱", "to": "۱۴۰۵/۰۱/۳۱"})
    assert rows == [["مریم بازاریاب", "پیش‌نویس", 1, 2_000_000]]

    # (c) Customers: issued proformas and invoices, goods and services apart, the largest buyer first.
    cols, rows = _run(kernel, reports.customer_totals, boss, year="all")
    assert len(cols) == 9
    assert rows == [["گز اصفهان", 1, 11_000_000, 0, 0, 2, 35_000_000, 0, 0],
                    ["ونک تجارت", 0, 0, 0, 0, 0, 0, 1, 6_000_000]]
    _, rows = _run(kernel, reports.customer_totals, isf, year="all")
    assert rows == [["گز اصفهان", 1, 11_000_000, 0, 0, 2, 35_000_000, 0, 0]]
    _, rows = _run(kernel, reports.customer_totals, boss, year="۱۴۰۵")
    assert rows == [["گز اصفهان", 1, 11_000_000, 0, 0, 1, 13_000_000, 0, 0],
                    ["ونک تجارت", 0, 0, 0, 0, 0, 0, 1, 6_000_000]]
    _, rows = _run(kernel, reports.customer_totals, boss, year="1404")
    assert rows == [["گز اصفهان", 0, 0, 0, 0, 1, 22_000_000, 0, 0]]

    # (d) Sales per product: 1405 beside 1404, quantities and Rials before tax (void D left out).
    cols, rows = _run(kernel, sales_by_product, boss, year="۱۴۰۵")
    assert cols[2:6] == ["تعداد در ۱۴۰۴", "تعداد در ۱۴۰۵", "فروش ۱۴۰۴ (ریال)", "فروش ۱۴۰۵ (ریال)"]
    assert rows == [["فرش", "\u2066CRP\u2069", 2, 1, 20_000_000, 10_000_000, Decimal("-50.0")],
                    ["رفوگری", "\u2066RFG\u2069", 0, 4, 0, 8_000_000, "—"]]
    _, rows = _run(kernel, sales_by_product, isf, year="1405")
    assert rows == [["فرش", "\u2066CRP\u2069", 2, 1, 20_000_000, 10_000_000, Decimal("-50.0")],
                    ["رفوگری", "\u2066RFG\u2069", 0, 1, 0, 2_000_000, "—"]]
    _, rows = _run(kernel, sales_by_product, boss, year="1405", kind="service")
    assert [r[0] for r in rows] == ["رفوگری"]
    _, rows = _run(kernel, sales_by_product, boss, year="1404")
    assert rows == [["فرش", "\u2066CRP\u2069", 0, 2, 0, 20_000_000, "—"]]


@pytest.mark.parametrize("key,bad", [("finance.sales_by_product", {"year": "سال"}),
                                     ("finance.sales_by_product", {"year": "99999"}),
                                     ("finance.unsettled_invoices", {"days": "-3"}),
                                     ("finance.customer_totals", {"year": "۱۴۰"}),
                                     ("finance.customer_totals", {"after": "صفحه"}),
                                     ("finance.sales_by_product", {"kind": "x"})])
def test_bad_parameters_get_a_persian_message_not_a_500(make_kernel: Any, web_client: Any, key: str,
                                                        bad: dict[str, str]) -> None:
    k = make_kernel(edition="tier3")
    provinces_world(k)
    resp = web_client(k, "boss").get(f"/reports/{key}", params=bad)
    assert resp.status_code == 400 and 'class="error"' in resp.text


def test_pages_xlsx_and_pdf_in_persian_and_the_scope(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(edition="tier3")
    _documents(k)
    boss, isf = web_client(k, "boss"), web_client(k, "isf")
    listed = boss.get("/reports/").text
    for key in ("unsettled_invoices", "proformas_by_marketer", "customer_totals", "sales_by_product"):
        assert f"/reports/finance.{key}" in listed
    page = boss.get("/reports/finance.unsettled_invoices").text
    assert "۳۸٬۰۰۰٬۰۰۰" in page and "ونک تجارت" in page and "۱۴۰۴/۰۳/۰۱" in page
    page = isf.get("/reports/finance.unsettled_invoices").text
    assert "۳۲٬۰۰۰٬۰۰۰" in page and "ونک" not in page
    period = {"year": "all"}
    xlsx = boss.get("/reports/finance.customer_totals.xlsx", params=period)
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["مشتری", "پیش‌فاکتورهای کالا", "مبلغ پیش‌فاکتورهای کالا (ریال)"]
    assert values[1] == ["گز اصفهان", 1, 11_000_000, 0, 0, 2, 35_000_000, 0, 0]  # numbers stay numbers
    scoped = load_workbook(io.BytesIO(isf.get("/reports/finance.customer_totals.xlsx", params=period).content)).active
    assert [row[0].value for row in scoped.iter_rows()] == ["مشتری", "گز اصفهان"]
    pdf = isf.get("/reports/finance.sales_by_product.pdf", params={"year": "۱۴۰۵"})
    words = pdf_words(pdf.content)
    assert pdf.status_code == 200 and "۲۰٬۰۰۰٬۰۰۰" in words and "فرش" in words and "ونک" not in " ".join(words)
