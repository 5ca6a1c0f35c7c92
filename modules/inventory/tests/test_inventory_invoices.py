"""An invoice and the warehouse (INV-01, FAQ 12 and 106), on both engines, walking one shop's day:
with the default policy (``refuse``) an invoice short of stock is refused naming the product and
what is available — still a draft, no number used, no stock document; after a receipt it is
issued, its goods (not its service) leave the invoices' warehouse by a posted issue; edited, the
issue follows; voided, the units come back; a serial-tracked product leaves by the serials its
invoice line names, and a serial not in stock refuses the invoice. With ``reduce`` stock may go below zero; with ``none``
an invoice leaves stock alone and the warehouse delivers it once, by an issue made from it; a
delivered invoice edited moves its delivery with it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from kernel import Conflict
from kernel.testing import create_record
from modules.finance.services.drafts import LineChange, save_lines
from modules.finance.services.issuing import void_invoice
from modules.inventory.delivery import deliver
from modules.inventory.models import InventoryItem, Serial
from modules.inventory.services.stock import OutOfStock
from modules.inventory.tests.policy_helpers import (
    ENGINES,
    INVOICE,
    draft_invoice,
    inventory_kernel,
    issue,
    line_of,
    on_hand,
    receive,
    set_policy,
    shop,
    stock_documents,
    warehouse,
)


def _lines(w: dict[str, Any], carpets: str = "۲") -> list[dict[str, Any]]:
    return [{"product_id": w["carpet"], "quantity": carpets}, {"product_id": w["cloth"], "quantity": "۲٫۵"},
            {"product_id": w["setup"], "quantity": "1"}]


@pytest.mark.parametrize("engine", ENGINES)
def test_an_invoice_checks_reduces_follows_and_gives_back_stock(make_kernel: Any, engine: str) -> None:
    k = inventory_kernel(make_kernel, engine)
    w = shop(k)
    receive(k, w["cloth"], "10")
    receive(k, w["carpet"], "1")
    inv = draft_invoice(k, w, _lines(w))
    # -- refused: one carpet on hand, two wanted; nothing of the invoice is kept
    with pytest.raises(OutOfStock) as refused:
        issue(k, w, inv)
    assert {n: str(v) for n, v in refused.value.params.items()} == {"product": "فرش ۷۰۰ شانه", "warehouse": "انبار مرکزی", "wanted": "2",
                                    "available": "1"}
    assert k.t("fa", refused.value.msgid, **refused.value.params) == \
        "موجودی فرش ۷۰۰ شانه در انبار مرکزی کافی نیست: ۲ خواسته شده، ۱ موجود است"
    assert stock_documents(k, inv) == [] and on_hand(k, w["carpet"]) == (1, 0) and on_hand(k, w["cloth"]) == (10, 0)
    # -- a receipt, and the same invoice is issued: the first number, its goods out by one issue
    receive(k, w["carpet"], "2")
    assert issue(k, w, inv) == "INV-1405-00001"
    assert [(kind, state) for kind, state, _ in stock_documents(k, inv)] == [("issue", "posted")]
    assert on_hand(k, w["carpet"]) == (1, 0) and on_hand(k, w["cloth"]) == (Decimal("7.5"), 0)
    # -- edited while issued: 4 carpets are one more than the 3 there are once its own 2 come back
    clerk = w["actor"]
    with pytest.raises(OutOfStock), k.session(clerk) as s:
        save_lines(k, s, clerk, INVOICE, inv, [LineChange("", {"quantity": "۴"}, line_of(k, inv, w["carpet"]))])
    assert on_hand(k, w["carpet"]) == (1, 0) and len(stock_documents(k, inv)) == 1  # the edit refused whole
    with k.session(clerk) as s:
        save_lines(k, s, clerk, INVOICE, inv, [LineChange("", {"quantity": "۳"}, line_of(k, inv, w["carpet"]))])
    docs = stock_documents(k, inv)
    assert [(kind, state) for kind, state, _ in docs] == [("issue", "void"), ("issue", "posted")]
    assert on_hand(k, w["carpet"]) == (0, 0) and on_hand(k, w["cloth"]) == (Decimal("7.5"), 0)
    # -- voided: its issue is voided too, every unit back
    with k.session(w["actor"]) as s:
        void_invoice(k, s, w["actor"], inv, "مشتری انصراف داد")
    assert [state for _, state, _ in stock_documents(k, inv)] == ["void", "void"]
    assert on_hand(k, w["carpet"]) == (3, 0) and on_hand(k, w["cloth"]) == (10, 0)
    # -- serial numbers (INV-02): the invoice line names the units that leave; one not in stock refuses it
    reader = create_record(k, None, "finance.product", name="بارکدخوان", kind="goods", price=9_000_000)
    with k.session() as s:
        s.add(InventoryItem(product_id=reader, tracks_serials=True))
    receive(k, reader, "3", serials=("BR-1", "BR-2", "BR-3"))
    wrong = draft_invoice(k, w, [{"product_id": reader, "quantity": "2", "serial_number": "BR-1، BR-9"}])
    with pytest.raises(Conflict, match="not in"):
        issue(k, w, wrong)
    sold = draft_invoice(k, w, [{"product_id": reader, "quantity": "2", "serial_number": "BR-1، BR-3"}])
    issue(k, w, sold)
    with k.sessions() as s:
        assert dict(s.execute(select(Serial.serial, Serial.warehouse_id).where(Serial.product_id == reader)).all()) \
            == {"BR-1": None, "BR-2": warehouse(k), "BR-3": None}


@pytest.mark.parametrize("engine", ENGINES)
def test_reduce_goes_below_zero_and_none_leaves_stock_to_the_delivery(make_kernel: Any, engine: str) -> None:
    k = inventory_kernel(make_kernel, engine)
    w = shop(k)
    set_policy(k, "reduce")
    receive(k, w["carpet"], "1")
    first = draft_invoice(k, w, _lines(w, "3"))
    assert issue(k, w, first) == "INV-1405-00001"
    assert on_hand(k, w["carpet"]) == (-2, 0) and on_hand(k, w["cloth"]) == (Decimal("-2.5"), 0)
    # -- none: the invoice is issued whatever the stock; the warehouse delivers it, once
    set_policy(k, "none")
    receive(k, w["carpet"], "3")
    second = draft_invoice(k, w, _lines(w))
    assert issue(k, w, second) == "INV-1405-00002"
    assert stock_documents(k, second) == [] and on_hand(k, w["carpet"]) == (1, 0)
    with pytest.raises(OutOfStock), k.session(w["manager"]) as s:  # one carpet short
        deliver(k, s, w["manager"], second)
    assert stock_documents(k, second) == [] and on_hand(k, w["carpet"]) == (1, 0)
    receive(k, w["carpet"], "1")
    receive(k, w["cloth"], "5")
    with k.session(w["manager"]) as s:
        deliver(k, s, w["manager"], second)
    assert [(kind, state) for kind, state, _ in stock_documents(k, second)] == [("issue", "posted")]
    assert on_hand(k, w["carpet"]) == (0, 0) and on_hand(k, w["cloth"]) == (Decimal("0"), 0)
    with pytest.raises(Conflict, match="already been delivered"), k.session(w["manager"]) as s:
        deliver(k, s, w["manager"], second)
    # -- a delivered invoice edited (one carpet sent back): its delivery follows, the unit returns
    with k.session(w["actor"]) as s:
        save_lines(k, s, w["actor"], INVOICE, second, [LineChange("", {"quantity": "۱"}, line_of(k, second, w["carpet"]))])
    assert [(kind, state) for kind, state, _ in stock_documents(k, second)] == [("issue", "void"), ("issue", "posted")]
    assert on_hand(k, w["carpet"]) == (1, 0) and on_hand(k, w["cloth"]) == (Decimal("0"), 0)
