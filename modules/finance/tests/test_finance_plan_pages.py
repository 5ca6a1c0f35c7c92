"""The payment plan's pages (FIN-08): the plan under the invoice's page, making it on its page
with Persian digits and a Jalali date, recording payments; letters in an amount, a negative
amount, an overpayment, a bad date — each refused with a Persian message on its field, nothing
changed; another province's invoice is not found."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from kernel.testing import csrf
from modules.finance.models import Instalment, Invoice, Payment
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.plan_helpers import TOTAL, invoice, plan_world


def test_make_the_plan_and_pay_on_its_page(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(edition="tier3")
    w = plan_world(k)
    inv = w["invoice"]
    c = web_client(k, "boss")
    page = c.get(f"/finance/invoice/{inv}")
    assert page.status_code == 200 and "برنامهٔ پرداخت" in page.text and "هنوز برنامهٔ پرداخت ندارد" in page.text
    url = f"/finance/invoice/{inv}/plan"
    token = csrf(c, url)
    r = c.post(f"{url}/generate", data={"csrf": token, "cash": "۲۴٬۰۰۰٬۰۰۰", "count": "۴", "first": "۱۴۰۵/۰۷/۳۰"},
               follow_redirects=False)
    assert r.status_code == 303
    page = c.get(url)
    assert page.status_code == 200 and "۱۴۰۵/۰۸/۳۰" in page.text and "پرداخت‌نشده" in page.text
    with k.sessions() as s:
        first = s.scalars(select(Instalment.id).where(Instalment.invoice_id == inv, Instalment.position == 1)).one()
    bad = {"amount": ("۲۰ هزار", "amount"), "on": ("۱۴۰۵/۱۳/۴۰", "on")}
    for field, (value, key) in bad.items():
        data = {"csrf": token, "kind": "cash", "amount": "۱۰۰۰", "instalment": str(first), field: value}
        r = c.post(f"/finance/invoice/{inv}/payments", data=data, follow_redirects=False)
        assert r.status_code == 400 and f'data-error-for="{key}"' in r.text, field
    r = c.post(f"/finance/invoice/{inv}/payments", data={"csrf": token, "kind": "cash", "amount": "-۵"},
               follow_redirects=False)
    assert r.status_code == 400 and "بیشتر از صفر" in r.text
    r = c.post(f"/finance/invoice/{inv}/payments",
               data={"csrf": token, "kind": "cash", "amount": "۲۴٬۰۰۰٬۰۰۱", "instalment": str(first)},
               follow_redirects=False)
    assert r.status_code == 400 and "بستانکاری نگه نمی‌داریم" in r.text
    r = c.post(f"/finance/invoice/{inv}/payments",
               data={"csrf": token, "kind": "slip", "amount": "۱۰۰۰", "instalment": str(first)}, follow_redirects=False)
    assert r.status_code == 400 and "شمارهٔ فیش واریزی را وارد کنید" in r.text
    with k.sessions() as s:
        assert s.scalar(select(func.count(Payment.id))) == 0 and s.get(Invoice, inv).balance == TOTAL
    r = c.post(f"/finance/invoice/{inv}/payments",
               data={"csrf": token, "kind": "pos", "amount": "۲۴٬۰۰۰٬۰۰۰", "instalment": str(first),
                     "terminal_id": str(w["pos"]), "trace_number": "۴۴۵۵۶۶", "on": "۱۴۰۵/۰۷/۲۸"},
               follow_redirects=False)
    assert r.status_code == 303
    page = c.get(url)
    assert "کارتخوان" in page.text and "۱۴۰۵/۰۷/۲۸" in page.text and "پرداخت‌شده" in page.text
    assert "پرداخت به‌موقع: ۱" in page.text  # the customer's score: one instalment paid on time
    # The plan is fixed now: its forms are gone, and a post is refused with nothing changed.
    assert 'id="plan-generate"' not in page.text
    r = c.post(f"{url}/generate", data={"csrf": token, "count": "۲", "first": "۱۴۰۵/۰۷/۳۰"}, follow_redirects=False)
    assert r.status_code == 409 and "برنامهٔ پرداخت دیگر تغییر نمی‌کند" in r.text
    with k.sessions() as s:
        assert s.scalar(select(func.count(Instalment.id)).where(Instalment.invoice_id == inv,
                                                                 Instalment.deleted_at.is_(None))) == 5


def test_a_plan_typed_by_hand_must_add_up(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(edition="tier3")
    w = plan_world(k)
    inv = w["invoice"]
    c = web_client(k, "boss")
    url = f"/finance/invoice/{inv}/plan"
    token = csrf(c, url)
    r = c.post(f"{url}/save", data={"csrf": token, "cash_amount": "۲۰٬۰۰۰٬۰۰۰", "due_1": "۱۴۰۵/۰۷/۳۰",
                                    "amount_1": "۵۰٬۰۰۰٬۰۰۰", "due_2": "۱۴۰۵/۰۸/۳۰", "amount_2": "پنجاه"},
               follow_redirects=False)
    assert r.status_code == 400 and 'data-error-for="amount_2"' in r.text
    r = c.post(f"{url}/save", data={"csrf": token, "cash_amount": "۲۰٬۰۰۰٬۰۰۰", "due_1": "۱۴۰۵/۰۷/۳۰",
                                    "amount_1": "۵۰٬۰۰۰٬۰۰۰", "due_2": "۱۴۰۵/۰۸/۳۰", "amount_2": "۴۰٬۰۰۰٬۰۰۰"},
               follow_redirects=False)
    assert r.status_code == 400 and "باید با جمع فاکتور" in r.text
    with k.sessions() as s:
        assert s.scalar(select(func.count(Instalment.id))) == 0
    r = c.post(f"{url}/save", data={"csrf": token, "cash_amount": "۳۰٬۰۰۰٬۰۰۰", "due_1": "۱۴۰۵/۰۷/۳۰",
                                    "amount_1": "۵۰٬۰۰۰٬۰۰۰", "due_2": "۱۴۰۵/۰۸/۳۰", "amount_2": "۴۰٬۰۰۰٬۰۰۰"},
               follow_redirects=False)
    assert r.status_code == 303
    with k.sessions() as s:
        rows = s.scalars(select(Instalment).where(Instalment.invoice_id == inv).order_by(Instalment.position)).all()
        assert [(r.position, r.amount, r.due_date) for r in rows] == [
            (0, 30_000_000, jdate(1405, 6, 31)), (1, 50_000_000, jdate(1405, 7, 30)), (2, 40_000_000, jdate(1405, 8, 30))]
    tehran = invoice(k, w, "vanak")
    isf = web_client(k, "isf")
    assert isf.get(f"/finance/invoice/{tehran}/plan").status_code == 404
    r = isf.post(f"/finance/invoice/{tehran}/plan/generate",
                 data={"csrf": csrf(isf, "/finance/invoice/"), "count": "۲", "first": "۱۴۰۵/۰۷/۳۰"},
                 follow_redirects=False)
    assert r.status_code == 404
