"""`peyvand init --demo` on tier 3 gives a new user documents in every state: the proformas and
invoices pages, their filters and the "unsettled invoices" menu entry are not empty."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from kernel.demo import load_demo
from kernel.persian.textnorm import to_persian_digits
from kernel.testing import create_user
from kernel.web.app import build_app
from modules.finance.models import Invoice, Proforma


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
    partly, paid, void = invoices
    assert 0 < partly.balance < partly.grand_total and paid.balance == 0 and void.state == "void"
    # Gapless: the void invoice keeps the last number of the year.
    assert [i.number[-5:] for i in invoices] == ["00001", "00002", "00003"]
    with TestClient(build_app(kernel)) as c:
        login_as(c, "admin")
        page = c.get("/finance/invoice/?f_settlement=open").text
        shown = to_persian_digits(page)
        assert to_persian_digits(partly.number) in shown and to_persian_digits(paid.number) not in shown
