"""Commissions (FIN-13) through the pages: the pay page pays once and refuses twice in Persian,
a bad date or nothing ticked is refused on the form with nothing paid; the per-agent report as a
page, xlsx and PDF; the list and its export; the rows' forms refuse writes with a Persian message
(never a 500); an agent's user with the "own records" scope sees only its own rows."""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import func, select

from kernel.testing import create_record, create_user, csrf, pdf_words
from modules.finance.models import Commission, CommissionPayment
from modules.finance.tests.commission_helpers import commission_world, make_agent, rows_of, sell


def _payments(kernel: Any) -> int:
    with kernel.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(CommissionPayment)) or 0)


def test_pay_page_report_list_and_the_agents_own_view(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(edition="tier3")
    w = commission_world(k)
    top = create_record(k, None, "base.partner", kind="company", name="سرشاخه")
    mina = create_user(k, "mina", perms=("finance.commission.view", "finance.commission.export",
                                         "finance.commissions.report"), scope="own")
    make_agent(k, w["marketer"], make_agent(k, top), "10", user_id=mina)
    inv = sell(k, w)
    ids = [r.id for r in rows_of(k, inv)]
    assert len(ids) == 2
    sara = web_client(k, "sara")

    page = sara.get("/finance/commissions/pay")
    assert page.status_code == 200 and "۵۶۲٬۵۰۰" in page.text and "سرشاخه" in page.text
    token = csrf(sara, "/finance/commissions/pay")
    # Nothing ticked and a month 13: refused on the form, nothing paid.
    bad = sara.post("/finance/commissions/pay", data={"csrf": token, "paid_on": "1405/13/01", "reference": "x"})
    assert bad.status_code == 400 and "ماه" in bad.text and _payments(k) == 0
    none = sara.post("/finance/commissions/pay", data={"csrf": token, "paid_on": "۱۴۰۵/۰۳/۰۱", "reference": "x"})
    assert none.status_code == 400 and "علامت بزنید" in none.text and _payments(k) == 0
    form = {"csrf": token, "ids": [str(i) for i in ids], "paid_on": "۱۴۰۵/۰۳/۰۱", "reference": "حواله ۱۲۳"}
    done = sara.post("/finance/commissions/pay", data=form, follow_redirects=False)
    assert done.status_code == 303 and re.match(r"/finance/commission_payment/\d+$", done.headers["location"])
    assert _payments(k) == 1
    again = sara.post("/finance/commissions/pay", data=form, follow_redirects=False)
    assert again.status_code == 409 and "پیش‌تر پرداخت شده‌اند" in again.text and _payments(k) == 1
    # Read-only: no New, no Delete; a posted form and the API are refused (405, in Persian), nothing written.
    listed = sara.get("/finance/commission/")
    assert 'href="/finance/commission/new"' not in listed.text and 'value="delete"' not in listed.text
    new = sara.post("/finance/commission/new", data={"csrf": token, "amount": "1000"}, follow_redirects=False)
    assert new.status_code == 405 and "خود سامانه می‌نویسد" in new.text
    assert sara.post("/api/finance/commission", json={"amount": 1000}, headers={"x-csrf-token": token}).status_code == 405
    with k.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Commission)) == 2

    # The report: a page, numbers that stay numbers in Excel, a PDF with Persian digits.
    period = {"from": "۱۴۰۵/۰۱/۰۱", "to": "۱۴۰۵/۱۲/۲۹"}
    report = sara.get("/reports/finance.commissions", params=period)
    assert report.status_code == 200 and "فروش خود" in report.text
    sheet = load_workbook(io.BytesIO(sara.get("/reports/finance.commissions.xlsx", params=period).content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["نماینده", "سطح", "پورسانت (ریال)", "پرداخت‌شده (ریال)", "پرداخت‌نشده (ریال)"]
    assert values[-1][2:] == [562_500 + 56_250, 562_500 + 56_250, 0]
    pdf = sara.get("/reports/finance.commissions.pdf", params=period)
    assert pdf.status_code == 200 and "۵۶۲٬۵۰۰" in pdf_words(pdf.content)

    # The agent's own user: its own row only (not its parent's share), in the list and the export.
    own = web_client(k, "mina")
    listed = own.get("/finance/commission/")
    assert listed.status_code == 200 and "۵۶۲٬۵۰۰" in listed.text and "۵۶٬۲۵۰" not in listed.text
    exported = own.get("/finance/commission/export.xlsx")
    assert exported.status_code == 200
    cells = {c.value for row in load_workbook(io.BytesIO(exported.content)).active.iter_rows() for c in row}
    assert 562_500 in cells and 56_250 not in cells
    assert own.get("/finance/commissions/pay").status_code == 403
