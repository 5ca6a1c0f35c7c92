"""The fiscal year page (FIN-16) through the web, in Persian: a refusal with every reason and its
links, the close, the new year's next numbers, opening balances and carried instalment on the
page and in the xlsx export, the closed year refused on the receipt form and on voiding, the undo
allowed then refused, and the permission. SQLite and PostgreSQL."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from starlette.testclient import TestClient

from kernel import Conflict
from kernel.actor import SYSTEM
from kernel.records import delete_record
from kernel.testing import create_user, csrf
from kernel.web.app import build_app
from modules.finance.models import FiscalCarry, FiscalOpening, FiscalYear, Invoice, Receipt
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.fiscal_helpers import (
    draft_proforma,
    fiscal_world,
    invoice_on,
    pay_supplier,
    purchase_on,
    supplier_too,
)

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
URL = "/finance/fiscal-year"
CLOSED = "سال مالی ۱۴۰۴ بسته شده است"


@pytest.fixture(params=ENGINES)
def kernel(request: pytest.FixtureRequest, make_kernel: Any) -> Any:
    return make_kernel(edition="tier3", engine=request.param)


def _post(c: TestClient, url: str, page: str = URL, **data: str) -> Any:
    return c.post(url, data={"csrf": csrf(c, page), **data}, follow_redirects=False)


def _written(kernel: Any) -> tuple[int, int]:
    with kernel.sessions() as s:
        return (s.scalar(select(func.count()).select_from(FiscalOpening)) or 0,
                s.scalar(select(func.count()).select_from(FiscalCarry)) or 0)


def test_close_from_the_page_and_see_the_new_year(kernel: Any, login_as: Any) -> None:
    w = fiscal_world(kernel)
    draft = draft_proforma(kernel, w, "gaz", jdate(1404, 12, 20))
    with TestClient(build_app(kernel)) as c:
        login_as(c, "boss")
        page = c.get(URL).text
        assert "بستن سال مالی ۱۴۰۴" in page and f'href="/finance/proforma/{draft}"' in page
        r = _post(c, f"{URL}/close", year="۱۴۰۴")
        assert r.status_code == 409 and "سال مالی بسته نشد" in r.text and "پیش‌فاکتور پیش‌نویس" in r.text
        assert _written(kernel) == (0, 0)
        with kernel.session(w["boss"]) as s:
            delete_record(kernel, s, w["boss"], kernel.resources["finance.proforma"], draft)
        r = _post(c, f"{URL}/close", year="1404")
        assert r.status_code == 303, r.text[:2000]
        page = c.get(URL).text
        assert "سال نو ۱۴۰۵" in page and "سال مالی بسته شد" in page
        # Numbering starts again: the new year's next numbers.
        assert "INV-۱۴۰۵-۰۰۰۰۱" in page and "PF-۱۴۰۵-۰۰۰۰۱" in page
        # The open instalment of the plan is carried and visible, with its invoice's number.
        assert "قسط پرداخت‌نشده" in page and "INV-۱۴۰۴-۰۰۰۰۲" in page and f"/finance/invoice/{w['inv2']}/plan" in page
        assert "ونک تجارت" in page and "گز اصفهان" in page
        assert "بستن سال مالی ۱۴۰۵" in page and "سال مالی ۱۴۰۵ هنوز تمام نشده است" in page  # the next one
        # The opening balances as a spreadsheet: their sum is the open balances'.
        x = c.get("/finance/fiscal_opening/export.xlsx?f_year=1405")
        assert x.status_code == 200
        sheet = load_workbook(io.BytesIO(x.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        amounts = [r[2] for r in rows[1:]]
        with kernel.sessions() as s:
            assert sum(amounts) == s.scalar(select(func.sum(Invoice.balance)).where(Invoice.state == "issued"))
        assert c.get("/finance/fiscal_carry/?f_year=1405&f_kind=instalment").status_code == 200
        years = c.get("/finance/fiscal_year/").text  # the closed years, their figures and history
        assert "۱۴۰۴" in years and "بسته" in years
        with kernel.sessions() as s:
            fid = s.scalars(select(FiscalYear.id)).one()
        assert c.get(f"/finance/fiscal_year/{fid}").status_code == 200
    # Written by the close only: even an administrator's recycle bin refuses its rows.
    with kernel.sessions() as s:
        oid = s.scalars(select(FiscalOpening.id).limit(1)).one()
    for resource, rid in (("finance.fiscal_year", fid), ("finance.fiscal_opening", oid)):
        with pytest.raises(Conflict), kernel.session(SYSTEM) as s:
            delete_record(kernel, s, SYSTEM, kernel.resources[resource], rid)
    assert _written(kernel) == (2, 6)


def test_the_suppliers_side_on_the_page_and_in_the_lists(kernel: Any, login_as: Any) -> None:
    """What we owed suppliers at the year's end, in Persian digits beside what the customers owed
    us; the unpaid purchase carried with its link; a draft purchase listed among the reasons."""
    w = fiscal_world(kernel)
    supplier_too(kernel, w["gaz"])
    bought = purchase_on(kernel, w, w["supplier"], jdate(1404, 11, 5), 5_000_000)
    pay_supplier(kernel, w, bought, 2_000_000, jdate(1404, 12, 1))
    purchase_on(kernel, w, w["gaz"], jdate(1404, 12, 5), 1_500_000)
    draft = purchase_on(kernel, w, w["supplier"], jdate(1404, 12, 27), 700_000, post=False)
    with TestClient(build_app(kernel)) as c:
        login_as(c, "boss")
        page = c.get(URL).text
        assert "فاکتور خرید پیش‌نویس" in page and f'href="/finance/purchase/{draft}"' in page
        with kernel.session(w["boss"]) as s:
            delete_record(kernel, s, w["boss"], kernel.resources["finance.purchase"], draft)
        assert _post(c, f"{URL}/close", year="1404").status_code == 303
        page = c.get(URL).text
        assert "در پایان سال ۱۴۰۴ روی هم ۴٬۵۰۰٬۰۰۰" in page and "به ۲ تأمین‌کننده بدهکار بودیم" in page
        suppliers = page[page.index("finance-fiscal-suppliers"):]
        suppliers = suppliers[:suppliers.index("</table>")]
        assert "نخ‌ریسی یزد" in suppliers and "۳٬۰۰۰٬۰۰۰" in suppliers and "گز اصفهان" in suppliers
        assert "۱٬۵۰۰٬۰۰۰" in suppliers
        assert "فاکتور خرید پرداخت‌نشده" in page and f'href="/finance/purchase/{bought}"' in page
        # The list of openings tells the sides apart and filters by side.
        listed = c.get("/finance/fiscal_opening/?f_year=1405&f_side=supplier")
        assert listed.status_code == 200
        rows = listed.text[listed.text.index("<tbody"):listed.text.index("</tbody>")]
        assert "بدهی ما به تأمین‌کننده" in rows and "نخ‌ریسی یزد" in rows and "ونک تجارت" not in rows
        assert c.get("/finance/fiscal_carry/?f_year=1405&f_kind=purchase").status_code == 200


def test_the_closed_year_is_refused_on_the_forms(kernel: Any, login_as: Any) -> None:
    w = fiscal_world(kernel)
    with TestClient(build_app(kernel)) as c:
        login_as(c, "boss")
        assert _post(c, f"{URL}/close", year="1404").status_code == 303
        r = _post(c, "/finance/receipt/new", page="/finance/receipt/new", invoice_id=str(w["inv1"]),
                  date="۱۴۰۴/۱۲/۲۵", amount="1000000", method="cash")
        assert r.status_code == 400 and CLOSED in r.text
        r = _post(c, f"/finance/invoice/{w['inv2']}/void", page=f"/finance/invoice/{w['inv2']}", reason="اشتباه")
        assert r.status_code == 303 and CLOSED in c.get(r.headers["location"]).text
        assert CLOSED in c.get(f"/finance/proforma/{w['proforma']}/lines").text  # the line editor says so on opening
        r = _post(c, "/finance/proforma/new", page="/finance/proforma/new", partner_id=str(w["gaz"]),
                  date="۱۴۰۴/۱۲/۲۸", kind="goods", discount_kind="percent")
        assert r.status_code == 400 and CLOSED in r.text
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Receipt)) == 3
        assert s.get(Invoice, w["inv2"]).state == "issued"


def test_undo_from_the_page_then_refused_after_a_new_year_invoice(kernel: Any, login_as: Any) -> None:
    w = fiscal_world(kernel)
    with TestClient(build_app(kernel)) as c:
        login_as(c, "boss")
        assert _post(c, f"{URL}/close", year="1404").status_code == 303
        assert _post(c, f"{URL}/reopen", year="1404").status_code == 303
        assert _written(kernel) == (0, 0)
        assert _post(c, f"{URL}/close", year="1404").status_code == 303
        first = invoice_on(kernel, w, "gaz", jdate(1405, 1, 5))
        assert "بستن سال ۱۴۰۴ دیگر برگشت‌پذیر نیست" in c.get(URL).text
        r = _post(c, f"{URL}/reopen", year="1404")
        assert r.status_code == 409 and f'href="/finance/invoice/{first}"' in r.text
        assert _post(c, f"{URL}/close", year="1404").status_code == 409  # and a second close is refused
        r = _post(c, f"{URL}/close", year="سال")
        assert r.status_code == 400 and "سال مالی را انتخاب کنید" in r.text
    with kernel.sessions() as s:
        assert s.scalars(select(FiscalYear.state)).one() == "closed"
    assert _written(kernel) == (2, 6)


def test_the_page_and_the_actions_need_the_permission(kernel: Any, login_as: Any) -> None:
    fiscal_world(kernel)
    create_user(kernel, "clerk", perms=("finance.invoice.view", "finance.fiscal_year.view"))
    with TestClient(build_app(kernel)) as c:
        login_as(c, "clerk")
        assert c.get(URL).status_code == 403
        assert c.post(f"{URL}/close", data={"csrf": csrf(c), "year": "1404"}).status_code == 403
    assert _written(kernel) == (0, 0)
