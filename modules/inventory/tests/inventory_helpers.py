"""Shared set-up of inventory's tests: a keeper, two warehouses, goods (one tracking serials) and
drafts written straight to the tables (the editor's service is tested on its own)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from kernel.persian.jalali import jalali_to_date
from kernel.testing import actor_of, create_record, create_user

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
KEEPER = ("inventory.warehouse.*", "inventory.document.*", "inventory.item.edit", "inventory.stock.view",
          "finance.product.view", "base.partner.view", "inventory.stock.report", "inventory.stock_card.report",
          "inventory.valuation.report", "inventory.reorder.report")


def inventory_kernel(make_kernel: Any, engine: str = "sqlite") -> Any:
    return make_kernel(edition="tier5", engine=engine)


def jdate(y: int, m: int, d: int) -> dt.date:
    return jalali_to_date(y, m, d)


def world(kernel: Any) -> dict[str, Any]:
    """Keeper Nasrin, the seeded central warehouse and a shop's store, a carpet and a phone that
    tracks serial numbers."""
    from modules.inventory.models import InventoryItem, Warehouse

    uid = create_user(kernel, "nasrin", perms=KEEPER)
    shop = create_record(kernel, None, "inventory.warehouse", name="انبار فروشگاه", code="W2")
    carpet = create_record(kernel, None, "finance.product", name="فرش ۷۰۰ شانه", kind="goods", price=12_500_000)
    phone = create_record(kernel, None, "finance.product", name="گوشی همراه", kind="goods", price=90_000_000)
    with kernel.session() as s:
        central = s.scalar(select(Warehouse.id).where(Warehouse.is_default.is_(True)))
        s.add(InventoryItem(product_id=phone, tracks_serials=True))
    return {"uid": uid, "actor": actor_of(kernel, uid), "central": central, "shop": shop, "carpet": carpet,
            "phone": phone}


def draft(kernel: Any, kind: str, warehouse_id: int, lines: list[tuple[int, str, int, str | None]], *,
          to: int | None = None, on: dt.date | None = None, source: tuple[str, int] | None = None) -> int:
    """A draft stock document with lines (product, quantity, unit cost, serials)."""
    from modules.inventory.models import StockDocument, StockDocumentLine

    with kernel.session() as s:
        doc = StockDocument(kind=kind, date=on or jdate(1405, 2, 10), warehouse_id=warehouse_id,
                            to_warehouse_id=to, source=source[0] if source else None,
                            source_id=source[1] if source else None)
        s.add(doc)
        s.flush()
        s.add_all([StockDocumentLine(document_id=doc.id, position=i, product_id=p, quantity=Decimal(q),
                                     unit_cost=c, serials=sn) for i, (p, q, c, sn) in enumerate(lines)])
        return int(doc.id)


def post(kernel: Any, w: dict[str, Any], doc_id: int, **kw: Any) -> Any:
    from modules.inventory.services import posting

    with kernel.session(w["actor"]) as s:
        doc = posting.post(kernel, s, w["actor"], doc_id, **kw)
        return doc.number


def void(kernel: Any, w: dict[str, Any], doc_id: int, reason: str = "اشتباه ثبت شد") -> None:
    from modules.inventory.services import posting

    with kernel.session(w["actor"]) as s:
        posting.void(kernel, s, w["actor"], doc_id, reason)


def on_hand(kernel: Any, product_id: int, warehouse_id: int) -> Decimal:
    from modules.inventory.services import stock

    with kernel.sessions() as s:
        return stock.level_of(s, product_id, warehouse_id).on_hand


def card(kernel: Any, product_id: int, warehouse_id: int) -> list[tuple[Decimal, Decimal, int]]:
    """The live moves of a product in a warehouse: (quantity, balance after, unit cost)."""
    from modules.inventory.models import StockCardMove

    with kernel.sessions() as s:
        return [(Decimal(q), Decimal(b), int(c)) for q, b, c in s.execute(
            select(StockCardMove.quantity, StockCardMove.balance, StockCardMove.unit_cost).where(
                StockCardMove.product_id == product_id, StockCardMove.warehouse_id == warehouse_id,
                StockCardMove.cancelled.is_(False)).order_by(StockCardMove.id))]


def refusal(kernel: Any, exc: Any) -> str:
    """The Persian message a refusal shows."""
    return str(kernel.t("fa", exc.msgid, **exc.params))
