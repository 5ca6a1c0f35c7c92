"""`peyvand init --demo` on tier 3 gives a new user documents in every state: the proformas and
invoices pages, their filters and the "unsettled invoices" menu entry are not empty."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from kernel.demo import load_demo
from kernel.persian.textnorm import to_persian_digits
from kernel.testing import create_user
from kernel.web.app import build_app
from modules.finance.models import Commission, Invoice, Proforma


def test_demo_documents_cover_every_state(make_kernel: Any, login_as: Any) -> None:
    kernel = make_kernel(edition="tier3")
    create_user(kernel, "admin", admin=True)
    out = load_demo(kernel)
    assert "3 proformas (one converted) and 3 invoices" in out, out
    with kernel.sessions() as s:
        proformas = {p.state: p for p in s.query(Proforma)}
        invoices = s.query(Invoice).order_by(Invoice.id).all()
    assert set(proformas) == {"issued", "converted", "draft"}
    assert proformas["converted"].converted_invoice_id == invoices[0].id
    assert proformas["converted"].grand_total == invoices[0].grand_total
    partly, paid, void, by_marketer = invoices
    assert 0 < partly.balance < partly.grand_total and paid.balance == 0 and void.state == "void"
    # Gapless: the void invoice keeps its number among the others.
    assert [i.number[-5:] for i in invoices] == ["00001", "00002", "00003", "00004"]
    # -- commissions (FIN-13): the marketer's invoice gives three levels, the marketer's own paid.
    assert "1 invoice with commissions at 3 levels" in out, out
    with kernel.sessions() as s:
        rows = s.query(Commission).filter(Commission.invoice_id == by_marketer.id).all()
    assert sorted(r.level for r in rows) == [0, 1, 2]
    assert [r.payment_id is not None for r in sorted(rows, key=lambda r: r.level)] == [True, False, False]
    with TestClient(build_app(kernel)) as c:
        login_as(c, "admin")
        page = c.get("/finance/invoice/?f_settlement=open").text
        shown = to_persian_digits(page)
        assert to_persian_digits(partly.number) in shown and to_persian_digits(paid.number) not in shown


def test_demo_purchases_give_costs_and_payables(make_kernel: Any) -> None:
    """-- purchases (FIN-18, FIN-14): two posted purchases before the demo's invoices, so what those
    sold has a cost; one half paid in cash, the other by our cheque."""
    from modules.finance.models import InvoiceLine, OwnCheque, Purchase

    kernel = make_kernel(edition="tier3")
    create_user(kernel, "admin", admin=True)
    out = load_demo(kernel)
    assert "2 purchase invoices added" in out and "2 purchases paid (cash, our cheque)" in out, out
    with kernel.sessions() as s:
        bought = s.query(Purchase).order_by(Purchase.id).all()
        assert [p.state for p in bought] == ["posted", "posted"]
        assert 0 < bought[0].balance < bought[0].grand_total and bought[1].balance == 0
        assert s.query(OwnCheque).one().state == "issued"
        assert s.query(InvoiceLine).filter(InvoiceLine.cost.is_not(None)).count() > 0
