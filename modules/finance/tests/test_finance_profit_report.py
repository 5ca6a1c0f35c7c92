"""Profit per product at weighted-average cost (FIN-14, FAQ 4) and payables to suppliers (FIN-18):
figures against hand-computed ones from documents made through the services; a product sold
before it was ever bought says "cost unknown"; the page, xlsx and PDF answer in Persian.

Carpet: bought 10 at 1,000 then 10 at 1,300; 4 sold at 2,000 between (cost 1,000 each), then 2
at 2,500 (cost 1,188 each, the average (6 × 1,000 + 13,000) / 16 = 1,187.5 → 1,188).
Revenue 8,000 + 5,000 = 13,000; cost 4,000 + 2,376 = 6,376; profit 6,624; margin 51.0 %.
The rug is sold once (5,000) without ever being bought: cost unknown.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from kernel.testing import pdf_words
from modules.finance.report_profit import payables, profit_per_product
from modules.finance.services import own_cheques, purchase_payments
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.purchase_helpers import DAY, buy, purchase_world, sell

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _story(kernel: Any) -> dict[str, Any]:
    w = purchase_world(kernel)
    carpet = w["carpet"]
    sell(kernel, w, [(w["rug"], "1", 5_000)], on=jdate(1405, 2, 1))
    w["first"] = buy(kernel, w, [(carpet, "10", 1_000)], on=jdate(1405, 2, 1))
    sell(kernel, w, [(carpet, "4", 2_000)], on=jdate(1405, 2, 2))
    w["second"] = buy(kernel, w, [(carpet, "10", 1_300)], on=jdate(1405, 2, 3))
    sell(kernel, w, [(carpet, "2", 2_500)], on=jdate(1405, 2, 4))
    return w


def test_profit_per_product_figures(kernel: Any) -> None:
    w = _story(kernel)
    with kernel.sessions() as s:
        head, rows = profit_per_product(s, w["actor"], {"from": "1405/02/01", "to": "1405/02/31"}, kernel, "fa")
    assert head[2:7] == ["Quantity sold", "Revenue (Rials)", "Cost at the average (Rials)", "Profit (Rials)",
                         "Margin (%)"]
    carpet, rug, total = rows
    assert carpet[2:7] == [6, 13_000, 6_376, 6_624, Decimal("51.0")]
    assert rug[2:4] == [1, 5_000] and rug[5] == "—" and rug[7] == "هزینه نامعلوم"
    assert total[3:6] == [18_000, 6_376, 6_624]
    with kernel.sessions() as s:  # the period leaves the later sale out
        _h, rows = profit_per_product(s, w["actor"], {"from": "1405/02/02", "to": "1405/02/02"}, kernel, "fa")
    assert rows[0][2:7] == [4, 8_000, 4_000, 4_000, Decimal("50.0")]


def test_payables_per_supplier(kernel: Any) -> None:
    w = _story(kernel)  # 11,000 and 14,300 with VAT
    with kernel.session(w["actor"]) as s:
        purchase_payments.pay(kernel, s, w["actor"], w["first"], 11_000, DAY, "cash")
        own_cheques.give(kernel, s, w["actor"], w["second"], amount=4_300, on=jdate(1405, 2, 5),
                         account_id=w["account"], number="55", due_date=jdate(1405, 4, 1))
    with kernel.sessions() as s:
        head, rows = payables(s, w["actor"], {}, kernel, "fa")
    assert rows[0][1:] == [2, 25_300, 15_300, 10_000, 4_300]


def test_report_pages_xlsx_and_pdf(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(edition="tier3")
    w = _story(k)
    client = web_client(k, "sara")
    page = client.get("/reports/finance.profit_per_product", params={"from": "۱۴۰۵/۰۲/۰۱", "to": "۱۴۰۵/۰۲/۳۱"})
    assert page.status_code == 200 and "۶٬۶۲۴" in page.text and "هزینه نامعلوم" in page.text
    bad = client.get("/reports/finance.profit_per_product", params={"from": "۱۴۰۵/۱۳/۰۱"})
    assert bad.status_code in (200, 400) and "تاریخ" in bad.text
    xlsx = client.get("/reports/finance.profit_per_product.xlsx", params={"from": "1405/02/01"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert 6624 in [c.value for row in sheet.iter_rows() for c in row]
    pdf = client.get("/reports/finance.payables.pdf")
    assert pdf.status_code == 200 and "۲۵٬۳۰۰" in " ".join(pdf_words(pdf.content))
    assert w["supplier"]
