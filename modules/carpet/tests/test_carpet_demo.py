"""The demo shows the carpet journey in a new installation: designs with their variants' stock,
dealers, an invoice with its warranty cards (one registered), a dealer's batch — once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kernel.demo import load_demo
from kernel.testing import create_user, pdf_text
from modules.carpet.codes import shown
from modules.carpet.models import CarpetDesign, WarrantyCard


def test_the_demo_shows_designs_cards_and_dealers_once(make_kernel: Any, web_client: Any) -> None:
    kernel = make_kernel(edition="carpet")
    create_user(kernel, "admin", admin=True)
    first = load_demo(kernel)
    assert "carpet: 2 designs, 6 variants with stock, 2 dealers" in first, first
    assert "carpet: already loaded" in load_demo(kernel)
    with kernel.sessions() as s:
        afshan = s.scalars(select(CarpetDesign).where(CarpetDesign.code == "A-1201")).one()
        states = sorted(s.scalars(select(WarrantyCard.state)))
        registered = s.scalars(select(WarrantyCard).where(WarrantyCard.state == "registered")).one()
    assert states.count("registered") == 1 and len(states) >= 2 + 8
    c = web_client(kernel, "admin")
    design = c.get(f"/carpet/design/{afshan.id}").text
    assert "inventory-matrix" in design and "۱۲ متری" in design and "سرمه‌ای" in design
    card = c.get(f"/carpet/card/{registered.id}").text
    assert "data-carpet-registered" in card and "۰۹۳۵" in card
    pdf = c.get(f"/carpet/invoice/{registered.invoice_id}/cards.pdf")
    assert shown(registered.code) in " ".join(pdf_text(pdf.content))
    report = c.get("/reports/carpet.dealers").text
    assert "فرشسرای نگین" in report and "فرش آریا" in report and "۵۰٪" in report
