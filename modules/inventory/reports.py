"""Inventory's reports (INV-01, INV-03): stock per product and warehouse, the stock card of a
product, the stock's value at finance's weighted average cost, and the goods below their reorder
level. Each a kernel ``Report``: a page with its form, and xlsx and PDF."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from kernel import InputError, Report, ReportParam
from kernel.persian.jalali import format_jalali, parse_jalali_date
from kernel.persian.numbers import format_code
from kernel.persian.textnorm import to_ascii_digits
from kernel.report_cells import Linked
from modules.finance.models import Product, ProductCost
from modules.inventory.access import STOCK_VIEW
from modules.inventory.models import InventoryItem, StockCardMove, StockDocument, StockLevel, Warehouse
from modules.inventory.services import drafts
from modules.inventory.stock_view import plain


def _warehouses(session: Any, **_: Any) -> list[tuple[str, str]]:
    return [(str(i), n) for i, n in session.execute(select(Warehouse.id, Warehouse.name).where(
        Warehouse.deleted_at.is_(None)).order_by(Warehouse.is_default.desc(), Warehouse.name))]


def _id(params: dict[str, str], name: str) -> int | None:
    text = to_ascii_digits(params.get(name) or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 18:
        raise InputError("Choose from the list")
    return int(text)


def _date(params: dict[str, str], name: str) -> Any:
    text = (params.get(name) or "").strip()
    return parse_jalali_date(text) if text else None


def _products(kernel: Any, actor: Any) -> Any:
    """The products the actor may see, as a subquery (id, code, name)."""
    return kernel.scoped_select(actor, Product).with_only_columns(Product.id, Product.code, Product.name).subquery()


def find_product(session: Any, kernel: Any, actor: Any, text: str) -> Any:
    """A product by its code or barcode (Persian digits too), by its name, else by its id (a
    report's own link): the editor's one lookup, so both read a typed product the same way."""
    text = to_ascii_digits(text or "").strip()
    if not text:
        raise InputError("Enter the product's code, barcode or name")
    try:
        return drafts.find_product(kernel, session, actor, text)
    except InputError:
        found = session.scalars(kernel.scoped_select(actor, Product).where(Product.id == int(text))).first() \
            if text.isdigit() and len(text) <= 18 else None
        if found is None:
            raise
        return found


def stock(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str, **_: Any) -> Any:
    p = _products(kernel, actor)
    q = (select(p.c.id, p.c.code, p.c.name, Warehouse.name, StockLevel.on_hand, StockLevel.reserved)
         .join(StockLevel, StockLevel.product_id == p.c.id).join(Warehouse, Warehouse.id == StockLevel.warehouse_id)
         .where((StockLevel.on_hand != 0) | (StockLevel.reserved != 0)).order_by(p.c.name, p.c.id, Warehouse.name))
    if (wid := _id(params, "warehouse")) is not None:
        q = q.where(StockLevel.warehouse_id == wid)
    rows = [(format_code(code, lang), Linked(name, f"/inventory/product/{pid}"), wname, plain(o), plain(r),
             plain(Decimal(o) - Decimal(r))) for pid, code, name, wname, o, r in session.execute(q.limit(5000))]
    return ("Code", "Product", "Warehouse", "On hand", "Reserved", "Available"), rows


KIND_LABELS = {"receipt": "Goods receipt", "issue": "Goods issue", "transfer": "Transfer"}


def stock_card(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str, **_: Any) -> Any:
    """Every live move of a product (in a warehouse, or each with its own warehouse's balance)."""
    product = find_product(session, kernel, actor, params.get("product", ""))
    q = (select(StockCardMove.on, StockDocument.id, StockDocument.number, StockDocument.kind, Warehouse.name,
                StockCardMove.quantity, StockCardMove.balance)
         .join(StockDocument, StockDocument.id == StockCardMove.document_id)
         .join(Warehouse, Warehouse.id == StockCardMove.warehouse_id)
         .where(StockCardMove.product_id == product.id, StockCardMove.cancelled.is_(False))
         .order_by(StockCardMove.id))
    if (wid := _id(params, "warehouse")) is not None:
        q = q.where(StockCardMove.warehouse_id == wid)
    if (start := _date(params, "from")) is not None:
        q = q.where(StockCardMove.on >= start)
    if (end := _date(params, "to")) is not None:
        q = q.where(StockCardMove.on <= end)
    kinds = {k: kernel.t(lang, v) for k, v in KIND_LABELS.items()}
    rows = [(format_jalali(on, lang=lang), Linked(format_code(number, lang), f"/inventory/document/{doc_id}"),
             kinds[kind], wname, plain(qty) if qty > 0 else "", plain(-qty) if qty < 0 else "", plain(balance))
            for on, doc_id, number, kind, wname, qty, balance in session.execute(q.limit(5000))]
    return ("Date", "Document", "Kind", "Warehouse", "In", "Out", "Balance after"), rows


def valuation(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str, **_: Any) -> Any:
    """On hand × finance's weighted average cost, per product and warehouse, with the total."""
    p = _products(kernel, actor)
    q = (select(p.c.code, p.c.name, Warehouse.name, StockLevel.on_hand, func.coalesce(ProductCost.avg_cost, 0))
         .join(StockLevel, StockLevel.product_id == p.c.id).join(Warehouse, Warehouse.id == StockLevel.warehouse_id)
         .join(ProductCost, ProductCost.product_id == p.c.id, isouter=True)
         .where(StockLevel.on_hand != 0).order_by(p.c.name, p.c.id, Warehouse.name))
    if (wid := _id(params, "warehouse")) is not None:
        q = q.where(StockLevel.warehouse_id == wid)
    rows: list[tuple[Any, ...]] = []
    total = 0
    for code, name, wname, on_hand, avg in session.execute(q.limit(5000)):
        value = int((Decimal(on_hand) * int(avg)).to_integral_value())
        total += value
        rows.append((format_code(code, lang), name, wname, plain(on_hand), int(avg), value))
    rows.append(("", kernel.t(lang, "Total"), "", "", "", total))
    return ("Code", "Product", "Warehouse", "On hand", "Average cost (Rials)", "Value (Rials)"), rows


def reorder(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str, **_: Any) -> Any:
    """Goods whose available stock (on hand less reserved, all warehouses) is below their level."""
    p = _products(kernel, actor)
    on_hand = func.coalesce(func.sum(StockLevel.on_hand), 0)
    reserved = func.coalesce(func.sum(StockLevel.reserved), 0)
    q = (select(p.c.id, p.c.code, p.c.name, on_hand, reserved, InventoryItem.reorder_below)
         .join(InventoryItem, InventoryItem.product_id == p.c.id)
         .join(StockLevel, StockLevel.product_id == p.c.id, isouter=True)
         .where(InventoryItem.reorder_below.is_not(None))
         .group_by(p.c.id, p.c.code, p.c.name, InventoryItem.reorder_below)
         .having(on_hand - reserved < InventoryItem.reorder_below).order_by(p.c.name, p.c.id))
    rows = [(format_code(code, lang), Linked(name, f"/inventory/product/{pid}"), plain(o), plain(r),
             plain(Decimal(o) - Decimal(r)), plain(level)) for pid, code, name, o, r, level in session.execute(q)]
    return ("Code", "Product", "On hand", "Reserved", "Available", "Reorder below"), rows


WAREHOUSE = ReportParam("warehouse", "Warehouse", kind="choice", choices=_warehouses)
REPORTS = (
    Report("inventory.stock", "Stock by product and warehouse", stock, STOCK_VIEW, (WAREHOUSE,), sequence=10),
    Report("inventory.stock_card", "Stock card", stock_card, STOCK_VIEW,
           (ReportParam("product", "Product (code, barcode or name)"), WAREHOUSE,
            ReportParam("from", "From", kind="date"), ReportParam("to", "Until", kind="date")), sequence=20),
    Report("inventory.valuation", "Stock valuation", valuation, STOCK_VIEW, (WAREHOUSE,), sequence=30),
    Report("inventory.reorder", "Below reorder level", reorder, STOCK_VIEW, sequence=40),
)
