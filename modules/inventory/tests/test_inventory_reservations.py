"""Proformas that reserve (``inventory.proforma_reserves``), on both engines: an issued proforma
holds its goods (not its service) — the product's page shows on hand, reserved, available and
which proforma holds them; an invoice of someone else cannot take reserved units; a cancelled
proforma gives them back; a converted one passes them to its invoice, whose issue takes them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from modules.finance.services import issuing
from modules.inventory.services import stock
from modules.inventory.services.stock import OutOfStock
from modules.inventory.tests.policy_helpers import (
    ENGINES,
    draft_invoice,
    inventory_kernel,
    issue,
    on_hand,
    proforma,
    receive,
    set_policy,
    shop,
    stock_documents,
)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_proforma_reserves_until_cancelled_or_converted(make_kernel: Any, web_client: Any, engine: str) -> None:
    k = inventory_kernel(make_kernel, engine)
    w = shop(k)
    set_policy(k, "refuse", reserves=True)
    receive(k, w["carpet"], "3")
    offer = [{"product_id": w["carpet"], "quantity": "۲"}, {"product_id": w["setup"], "quantity": "1"}]
    kept = proforma(k, w, offer)
    assert on_hand(k, w["carpet"]) == (3, 2)
    with k.sessions() as s:
        assert [(r.product_id, r.quantity) for r in stock.reserved_by(s, "proforma", kept)] == [(w["carpet"], 2)]
    # -- the product's page: per warehouse, and by whom (the proforma's number, linked)
    page = web_client(k, "maryam").get(f"/finance/product/{w['carpet']}").text
    assert "موجودی رزروشده" in page and "قابل فروش" in page
    assert f'href="/finance/proforma/{kept}"' in page and "PF-۱۴۰۵-۰۰۰۰۱" in page
    # -- another customer's invoice cannot take the reserved units; nor can a second proforma
    with pytest.raises(OutOfStock) as refused:
        issue(k, w, draft_invoice(k, w, [{"product_id": w["carpet"], "quantity": "2"}]))
    assert str(refused.value.params["available"]) == "1"
    with pytest.raises(OutOfStock):
        proforma(k, w, offer)
    assert on_hand(k, w["carpet"]) == (3, 2)
    # -- cancelled: given back
    dropped = proforma(k, w, [{"product_id": w["carpet"], "quantity": "1"}])
    assert on_hand(k, w["carpet"]) == (3, 3)
    with k.session(w["actor"]) as s:
        issuing.cancel_proforma(k, s, w["actor"], dropped, "مشتری منصرف شد")
    assert on_hand(k, w["carpet"]) == (3, 2)
    # -- converted: the invoice's issue takes exactly the reserved units
    with k.session(w["actor"]) as s:
        invoice_id = issuing.convert(k, s, w["actor"], kept).id
    assert on_hand(k, w["carpet"]) == (1, 0)
    assert [(kind, state) for kind, state, _ in stock_documents(k, invoice_id)] == [("issue", "posted")]
    with k.sessions() as s:
        assert stock.reserved_by(s, "proforma", kept) == [] and stock.reserved_by(s, "invoice", invoice_id) == []
    # -- policy none: the converted proforma's units stay held by the invoice until delivered
    set_policy(k, "none", reserves=True)
    later = proforma(k, w, [{"product_id": w["carpet"], "quantity": "1"}])
    with k.session(w["actor"]) as s:
        second = issuing.convert(k, s, w["actor"], later).id
    assert on_hand(k, w["carpet"]) == (1, 1)
    from modules.inventory.delivery import deliver

    with k.session(w["manager"]) as s:
        deliver(k, s, w["manager"], second)
    assert on_hand(k, w["carpet"]) == (Decimal(0), Decimal(0))
