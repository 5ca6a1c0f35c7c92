"""Demo data of the inventory module: a shop's store beside the central warehouse, posted
receipts of the demo carpets (some variants) and doormats, an issue, a transfer, and a barcode
reader whose units carry serial numbers — so the stock pages, the card and the reports show
something in tier 5."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from kernel.actor import SYSTEM
from kernel.records import create_record
from kernel.timezone import local_today
from modules.finance.models import Product
from modules.inventory.models import InventoryItem, StockDocument, StockDocumentLine
from modules.inventory.services import posting, stock

DEMO_MARK = "inventory.demo"


def load(kernel: Any, session: Any) -> str:
    if kernel.setting(session, DEMO_MARK, ""):
        return "already loaded"
    central = stock.default_warehouse_id(session)
    codes = {p.code: p for p in session.scalars(select(Product).where(Product.code.is_not(None),
                                                                      Product.deleted_at.is_(None)))}
    kashan = [p for code, p in sorted(codes.items()) if code.startswith("KSH700-")]
    doormat = codes.get("PD-1")
    if central is None or not kashan or doormat is None:
        return "no warehouse or demo products yet: nothing added"

    def add(resource: str, **values: Any) -> int:
        return int(create_record(kernel, session, SYSTEM, kernel.resources[resource], values).id)

    shop = add("inventory.warehouse", name="انبار فروشگاه", code="SHOP")
    reader = add("finance.product", name="بارکدخوان بی‌سیم", code="BCR-1", kind="goods", unit="عدد",
                 price=95_000_000)
    session.add(InventoryItem(product_id=reader, tracks_serials=True))
    session.add(InventoryItem(product_id=doormat.id, reorder_below=Decimal(50)))
    today = local_today(kernel.config.timezone)

    def document(kind: str, warehouse: int, lines: list[tuple[int, int, int, str | None]],
                 to: int | None = None) -> None:
        doc = StockDocument(kind=kind, date=today, warehouse_id=warehouse, to_warehouse_id=to)
        session.add(doc)
        session.flush()
        session.add_all([StockDocumentLine(document_id=doc.id, position=i, product_id=p, quantity=Decimal(q),
                                           unit_cost=c, serials=s) for i, (p, q, c, s) in enumerate(lines)])
        session.flush()
        posting.post(kernel, session, SYSTEM, doc.id)

    document("receipt", central, [(v.id, 6 + 2 * i, 28_000_000 + 1_000_000 * i, None)
                                  for i, v in enumerate(kashan[:6])] + [(doormat.id, 40, 7_000, None)])
    document("receipt", central, [(reader, 3, 70_000_000, "BCR-24001\nBCR-24002\nBCR-24003")])
    document("issue", central, [(kashan[0].id, 2, 0, None), (doormat.id, 5, 0, None)])
    document("transfer", central, [(kashan[1].id, 3, 0, None), (reader, 1, 0, "BCR-24003")], to=shop)
    kernel.set_setting(session, DEMO_MARK, "1")
    return "a store, 2 receipts, an issue and a transfer added"
