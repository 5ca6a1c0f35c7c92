"""The cheque and collection reports (issue 12): cheques by state and due date (rows in the order
of a cheque's life, a count and total per state, filters by state and a Jalali period of due
dates) and collected per user (receipts by who recorded them, per method, over a Jalali period);
the record scope, a bad parameter answered in Persian, the xlsx and the PDF."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select

from kernel.models import Role, RolePermission
from kernel.testing import pdf_words
from modules.finance.report_cheques import cheques_by_state
from modules.finance.report_collected import collected_per_user
from modules.finance.services import cheques
from modules.finance.tests.cheque_helpers import cheque
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.plan_helpers import invoice, make_plan, new_cheque, pay, plan_world

REPORTS = ("finance.cheques_by_state.report", "finance.collected_per_user.report")


def _world(k: Any) -> dict[str, Any]:
    w = plan_world(k)
    with k.session() as s:
        for role in s.scalars(select(Role).where(Role.name.in_(("role-boss", "role-isf")))):
            s.add_all([RolePermission(role_id=role.id, permission=p) for p in REPORTS])
    # Isfahan: two cheques due in Mehr (one deposited), one in Aban; Tehran: one due in Mehr.
    w["c1"] = new_cheque(k, w, "1001", "1000000000000001", 10_000_000, jdate(1405, 7, 10))
    w["c2"] = new_cheque(k, w, "1002", "1000000000000002", 20_000_000, jdate(1405, 7, 20))
    w["c3"] = new_cheque(k, w, "1003", "1000000000000003", 40_000_000, jdate(1405, 8, 5))
    w["c4"] = cheque(k, w["boss_id"], w["vanak"], w["mellat"], number="2001", sayad="2000000000000001",
                     amount=80_000_000, due=jdate(1405, 7, 15))
    with k.session(w["boss"]) as s:
        cheques.change_state(k, s, w["boss"], w["c2"], "deposited")
    # Money received: cash by the boss, a POS payment by the Isfahan clerk.
    ids = make_plan(k, w, w["invoice"])
    pay(k, w, w["invoice"], "cash", 24_000_000, ids[0], on=jdate(1405, 7, 1))
    pay(k, w, w["invoice"], "pos", 5_000_000, ids[1], on=jdate(1405, 7, 2), terminal_id=w["pos"], trace_number="۱",
        actor="isf")
    teh = invoice(k, w, "vanak")
    with k.session(w["boss"]) as s:
        from modules.finance.services.receipts import receive_cash

        receive_cash(k, s, w["boss"], teh, 1_000_000, jdate(1405, 7, 3))
    return w


def test_cheques_by_state_with_totals_filters_and_scope(make_kernel: Any) -> None:
    k = make_kernel(edition="tier3")
    w = _world(k)
    with k.sessions() as s:
        titles, rows = cheques_by_state(s, w["boss"], {}, k, "fa")
        assert titles[0] == "State"
        # received (c1, c4 by due date, c3), its total, deposited (c2), its total, the grand total.
        assert [r[5] for r in rows] == [10_000_000, 80_000_000, 40_000_000, 130_000_000, 20_000_000, 20_000_000,
                                        150_000_000]
        assert rows[3][0] == "جمع «دریافت‌شده»" and rows[3][2] == "۳ چک" and rows[-1][2] == "۴ چک"
        _t, mehr = cheques_by_state(s, w["boss"], {"due_from": "۱۴۰۵/۰۷/۰۱", "due_to": "۱۴۰۵/۰۷/۳۰",
                                                   "state": "received"}, k, "fa")
        assert [r[5] for r in mehr] == [10_000_000, 80_000_000, 90_000_000, 90_000_000]
        _t, isf = cheques_by_state(s, w["isf"], {}, k, "fa")
        assert 80_000_000 not in [r[5] for r in isf] and isf[-1][5] == 70_000_000


def test_collected_per_user_by_method(make_kernel: Any) -> None:
    k = make_kernel(edition="tier3")
    w = _world(k)
    with k.sessions() as s:
        titles, rows = collected_per_user(s, w["boss"], {"from": "۱۴۰۵/۰۷/۰۱", "to": "۱۴۰۵/۰۷/۳۰"}, k, "fa")
        assert titles == ["User", "Receipts", "Cash (Rials)", "Deposit slip (Rials)", "POS (Rials)", "Cheque (Rials)",
                          "Total (Rials)"]
        assert rows == [["Boss", 2, 25_000_000, 0, 0, 0, 25_000_000], ["Isf", 1, 0, 0, 5_000_000, 0, 5_000_000],
                        ["جمع", 3, 25_000_000, 0, 5_000_000, 0, 30_000_000]]
        _t, later = collected_per_user(s, w["boss"], {"from": "۱۴۰۵/۰۷/۰۳"}, k, "fa")
        assert later[0] == ["Boss", 1, 1_000_000, 0, 0, 0, 1_000_000]
        _t, scoped = collected_per_user(s, w["isf"], {}, k, "fa")  # Tehran's receipt is not Isfahan's
        assert scoped[-1][-1] == 29_000_000


def test_pages_xlsx_pdf_and_bad_input(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(edition="tier3")
    _world(k)
    boss = web_client(k, "boss")
    listed = boss.get("/reports/").text
    assert "/reports/finance.cheques_by_state" in listed and "/reports/finance.collected_per_user" in listed
    page = boss.get("/reports/finance.cheques_by_state", params={"state": "deposited"})
    assert page.status_code == 200 and "جمع «خوابانده‌شده به حساب»" in page.text and "۲۰٬۰۰۰٬۰۰۰" in page.text
    assert "۸۰٬۰۰۰٬۰۰۰" not in page.text  # a cheque still received is not listed
    bad = boss.get("/reports/finance.cheques_by_state", params={"due_from": "۱۴۰۵/۱۳/۴۰"})
    assert bad.status_code == 400
    bad = boss.get("/reports/finance.cheques_by_state", params={"state": "lost"})
    assert bad.status_code == 400 and "یکی از وضعیت‌ها را انتخاب کنید" in bad.text
    bad = boss.get("/reports/finance.collected_per_user", params={"from": "۱۴۰۵/۰۸/۰۱", "to": "۱۴۰۵/۰۷/۰۱"})
    assert bad.status_code == 400
    xlsx = boss.get("/reports/finance.collected_per_user.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any(r[0] == "Boss" and r[-1] == 25_000_000 for r in values)
    pdf = boss.get("/reports/finance.cheques_by_state.pdf")
    words = pdf_words(pdf.content)
    assert pdf.status_code == 200 and "۱۵۰٬۰۰۰٬۰۰۰" in words
