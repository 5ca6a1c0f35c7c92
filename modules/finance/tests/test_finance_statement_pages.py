"""The customer statement on the web (FIN-12): the page with its rows in Persian, a bad period
refused with a Persian message and a 400 (never a 500), another province's customer not found,
the PDF read back as text (company heading, Jalali dates, Persian digits, the reader's unit), the
xlsx with amounts as numbers, and the links from the profile's "Balance" panel and the partner."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from kernel.testing import create_user, pdf_text
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.plan_helpers import TOTAL, invoice, make_plan, new_cheque, pay
from modules.finance.tests.statement_helpers import cash, statement_world


def _world(k: Any) -> dict[str, Any]:
    w = statement_world(k)
    old = invoice(k, w, day=jdate(1404, 12, 10))
    cash(k, w["boss"], old, 20_000_000, jdate(1405, 1, 15))
    ids = make_plan(k, w, w["invoice"])
    chq = new_cheque(k, w, "778899", "1000000000000009", 24_000_000, jdate(1405, 9, 30))
    pay(k, w, w["invoice"], "cheque", 24_000_000, ids[1], cheque_id=chq)
    with k.session() as s:
        k.set_setting(s, "company.name", "فرش‌بافی سپید")
    return w


def _open(make_kernel: Any, web_client: Any, user: str = "boss") -> tuple[Any, dict[str, Any], Any, str]:
    """(kernel, world, a client logged in as ``user``, the Isfahan customer's statement URL)."""
    k = make_kernel(edition="tier3")
    w = _world(k)
    return k, w, web_client(k, user), f"/finance/partner/{w['gaz']}/statement"


def test_the_statement_page(make_kernel: Any, web_client: Any) -> None:
    _k, w, c, url = _open(make_kernel, web_client)
    r = c.get(f"{url}?from=۱۴۰۵/۰۱/۰۱&until=۱۴۰۵/۱۲/۲۹")
    assert r.status_code == 200, r.text[:500]
    text = r.text
    assert "صورت‌حساب گز اصفهان" in text and "ماندهٔ ابتدای دوره" in text and "ماندهٔ پایان دوره" in text
    assert f'data-balance="{TOTAL}"' in text and f'data-closing="{2 * TOTAL - 20_000_000}"' in text
    assert "۱۴۰۵/۰۱/۱۵" in text and "۱۴۰۵/۰۶/۳۱" in text and "۲۰٬۰۰۰٬۰۰۰" in text
    assert "چک‌های وصول‌نشده" in text and "۷۷۸۸۹۹" in text  # the memo
    # Without a period: this Jalali year, from 1 Farvardin.
    assert c.get(url).status_code == 200
    # The profile's "Balance" panel and the partner's menu lead here.
    assert url in c.get(f"/base/partner/{w['gaz']}/profile").text
    assert url in c.get(f"/base/partner/{w['gaz']}").text


def test_bad_periods_are_refused_in_persian(make_kernel: Any, web_client: Any) -> None:
    _k, w, c, url = _open(make_kernel, web_client)
    for query, field in (("from=۱۴۰۵/الف/۰۱", "from"), ("until=abc", "until"),
                         ("from=1405/08/01&until=1405/07/01", "until"), ("from=1405/13/40", "from")):
        for suffix in ("", ".pdf", ".xlsx"):
            r = c.get(f"{url}{suffix}?{query}")
            assert r.status_code == 400 and f'data-error-for="{field}"' in r.text, (query, suffix)
    r = c.get(f"{url}?from=1405/08/01&until=1405/07/01")
    assert "پایان" in r.text  # "The end is before the start", in Persian


def test_scope_and_permissions(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(edition="tier3")
    w = _world(k)
    isf = web_client(k, "isf")
    assert isf.get(f"/finance/partner/{w['gaz']}/statement").status_code == 200
    assert isf.get(f"/finance/partner/{w['vanak']}/statement").status_code == 404  # Tehran's customer
    assert isf.get("/finance/partner/999999/statement").status_code == 404
    # The cheques' viewer may see the partner, not its invoices.
    assert web_client(k, "viewer").get(f"/finance/partner/{w['gaz']}/statement").status_code == 403
    create_user(k, "looker", perms=("base.partner.view", "finance.invoice.view"))
    looker = web_client(k, "looker")
    assert looker.get(f"/finance/partner/{w['gaz']}/statement").status_code == 200
    assert looker.get(f"/finance/partner/{w['gaz']}/statement.pdf").status_code == 403
    assert looker.get(f"/finance/partner/{w['gaz']}/statement.xlsx").status_code == 403


def test_the_statement_as_pdf_and_xlsx(make_kernel: Any, web_client: Any) -> None:
    _k, w, c, url = _open(make_kernel, web_client)
    r = c.get(f"{url}.pdf?from=1405/01/01&until=1405/12/29")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    text = "\n".join(pdf_text(r.content))
    for words in ("سپید", "گز اصفهان",  # (pdftotext drops the half-space)
                   "۱۴۰۵/۰۱/۱۵", "۱۴۰۵/۰۶/۳۱", "۲۰٬۰۰۰٬۰۰۰", "۲۲۰٬۰۰۰٬۰۰۰", "۷۷۸۸۹۹"):
        assert words in text, words
    r = c.get(f"{url}.xlsx?from=1405/01/01&until=1405/12/29")
    assert r.status_code == 200
    rows = [list(row) for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True)]
    assert rows[0][4] == "بدهکار (ریال)"
    assert rows[1][1] == "ماندهٔ ابتدای دوره" and rows[1][6] == TOTAL
    assert rows[2][0] == "۱۴۰۵/۰۱/۱۵" and rows[2][5] == 20_000_000 and rows[2][6] == TOTAL - 20_000_000
    closing = next(row for row in rows if row[1] == "ماندهٔ پایان دوره")
    assert closing[4] == TOTAL and closing[5] == 20_000_000 and closing[6] == 2 * TOTAL - 20_000_000
    assert any(row[3] == "۷۷۸۸۹۹" and row[5] == 24_000_000 for row in rows)  # the memo's cheque
