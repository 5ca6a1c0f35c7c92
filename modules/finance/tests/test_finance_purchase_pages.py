"""A purchase invoice's pages (FIN-18): the header form refuses a non-supplier; the work page adds
lines (letters in a quantity, a negative cost: a Persian message beside the field, nothing
added), posts, pays in cash and by our cheque (more than is open: refused, nothing paid), moves
our cheque; an endorsement pays a purchase from the cheque's page."""

from __future__ import annotations

from typing import Any

from kernel.testing import csrf
from modules.finance.models import Purchase, PurchaseLine, PurchasePayment
from modules.finance.tests.cheque_helpers import bank_id, cheque
from modules.finance.tests.purchase_helpers import buy, purchase_world


def _doc(kernel: Any, pid: int) -> tuple[str, int, int, int]:
    with kernel.sessions() as s:
        d = s.get(Purchase, pid)
        lines = s.query(PurchaseLine).filter_by(purchase_id=pid).count()
        pays = s.query(PurchasePayment).filter_by(purchase_id=pid).count()
        return d.state, d.balance, lines, pays


def test_the_header_form_takes_only_a_supplier(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(edition="tier3")
    w = purchase_world(k)
    c = web_client(k, "sara")
    token = csrf(c, "/finance/purchase/new")
    r = c.post("/finance/purchase/new", data={"csrf": token, "partner_id": str(w["customer"]), "date": "۱۴۰۵/۰۲/۰۱"},
               follow_redirects=False)
    assert r.status_code == 400 and "تأمین‌کننده" in r.text
    r = c.post("/finance/purchase/new", data={"csrf": token, "partner_id": str(w["supplier"]), "date": "۱۴۰۵/۰۲/۰۱",
                                              "supplier_number": "F-77"}, follow_redirects=False)
    assert r.status_code in (302, 303)


def test_lines_post_and_pay_on_the_work_page(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(edition="tier3")
    w = purchase_world(k)
    pid = buy(k, w, [], post=False)
    c = web_client(k, "sara")
    url = f"/finance/purchase/{pid}/work"
    token = csrf(c, url)
    r = c.post(f"/finance/purchase/{pid}/lines", data={"csrf": token, "product_id": str(w["carpet"]),
                                                       "quantity": "ده", "unit_cost": "-۵"})
    assert r.status_code == 400 and 'data-error-for="quantity"' in r.text and _doc(k, pid)[2] == 0
    r = c.post(f"/finance/purchase/{pid}/lines", data={"csrf": token, "product_id": str(w["carpet"]),
                                                       "quantity": "۲", "unit_cost": "-۵"})
    assert r.status_code == 400 and "منفی" in r.text and _doc(k, pid)[2] == 0
    r = c.post(f"/finance/purchase/{pid}/lines", data={"csrf": token, "product_id": str(w["carpet"]),
                                                       "quantity": "۱۰", "unit_cost": "۱٬۰۰۰"}, follow_redirects=False)
    assert r.status_code in (302, 303) and _doc(k, pid)[2] == 1
    r = c.post(f"/finance/purchase/{pid}/post", data={"csrf": token}, follow_redirects=False)
    assert r.status_code in (302, 303) and _doc(k, pid)[:2] == ("posted", 11_000)
    page = c.get(url).text
    assert "PUR" in page or "۱۴۰۵" in page
    r = c.post(f"/finance/purchase/{pid}/pay", data={"csrf": token, "method": "cash", "amount": "۱۱٬۰۰۱"})
    assert r.status_code == 400 and "۱۱٬۰۰۰" in r.text and _doc(k, pid)[3] == 0
    r = c.post(f"/finance/purchase/{pid}/pay", data={"csrf": token, "method": "cash", "amount": "۱٬۰۰۰"},
               follow_redirects=False)
    assert r.status_code in (302, 303) and _doc(k, pid)[1] == 10_000
    r = c.post(f"/finance/purchase/{pid}/pay", data={"csrf": token, "method": "own_cheque", "amount": "۱۰٬۰۰۰",
                                                     "account_id": str(w["account"]), "number": "۴۴۵۵",
                                                     "due_date": "۱۴۰۵/۰۵/۰۱", "date": "۱۴۰۵/۰۲/۰۲"},
               follow_redirects=False)
    assert r.status_code in (302, 303) and _doc(k, pid)[1] == 0
    with k.sessions() as s:
        own = s.query(PurchasePayment).filter_by(purchase_id=pid, method="own_cheque").one().own_cheque_id
    r = c.post(f"/finance/purchase/{pid}/own_cheque/{own}/state", data={"csrf": token, "to_state": "bounced"},
               follow_redirects=False)
    assert r.status_code in (302, 303) and _doc(k, pid)[1] == 10_000


def test_an_endorsement_pays_a_purchase_from_the_cheques_page(make_kernel: Any, web_client: Any) -> None:
    k = make_kernel(edition="tier3")
    w = purchase_world(k)
    pid = buy(k, w, [(w["carpet"], "10", 10_000)])  # 110,000
    chq = cheque(k, w["uid"], w["customer"], bank_id(k, "012"), amount=60_000)
    c = web_client(k, "sara")
    token = csrf(c, f"/finance/cheque/{chq}")
    assert 'name="purchase_id"' in c.get(f"/finance/cheque/{chq}").text
    r = c.post(f"/finance/cheque/{chq}/state", data={"csrf": token, "to_state": "endorsed", "revision": "0",
                                                     "endorsed_to_id": str(w["supplier"]), "purchase_id": str(pid),
                                                     "on": "۱۴۰۵/۰۲/۰۲"}, follow_redirects=False)
    assert r.status_code in (302, 303), r.text[:500]
    assert _doc(k, pid)[1] == 50_000
