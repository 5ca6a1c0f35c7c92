"""Drafting stock documents (INV-01): a new receipt, issue or transfer, and its lines.

Only a draft changes here; posting (``services/posting.py``) moves the stock. A line's product is
picked by id or by a code as typed or scanned — a product code or a barcode, Persian or Arabic
digits made ASCII, the ends trimmed — so the editor's input, a keyboard-wedge scanner and the
phone camera all come through :func:`add_line`. Adding a product the draft already has adds to
its line (a barcode scanned three times is one line of three), except a line with serial numbers:
each unit's serials are its own line. Every refusal is an ``InputError`` (a Persian message
naming what was wrong) or a ``Conflict`` raised before anything is written, so the caller's
transaction has nothing to undo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from kernel import Actor, Conflict, InputError, NotFound, PermissionDenied
from kernel.persian.numbers import ShownCode
from kernel.persian.textnorm import clean_input, search_key, to_ascii_digits
from kernel.records import search_condition
from kernel.timezone import local_today
from modules.finance.models import Product
from modules.inventory.models import KINDS, InventoryItem, Serial, StockDocument, StockDocumentLine, Warehouse
from modules.inventory.services.posting import lines_of  # one reader of a document's lines, in order
from modules.inventory.services.stock import _plain, default_warehouse_id

CREATE = "inventory.document.create"
EDIT = "inventory.document.edit"
QUANTITY_PLACES, QUANTITY_MAX = 3, Decimal(10) ** 12  # the column keeps thousandths
MAX_CODE = 60  # finance_product.code and .barcode


def clean_code(raw: Any) -> str:
    """A code as typed or scanned: ASCII digits, no surrounding spaces, no control characters (a
    NUL a scanner or a paste slipped in is no part of a code, and PostgreSQL refuses it in text)."""
    return _printable(to_ascii_digits(str(raw or ""))).strip()


def _printable(text: str, keep: str = "") -> str:
    return "".join(ch for ch in text if ch.isprintable() or ch in keep)


# -- the document ------------------------------------------------------------------------------
def new_document(kernel: Any, session: Session, actor: Actor, kind: str, *, warehouse_id: int | None = None,
                 to_warehouse_id: int | None = None, partner_id: int | None = None, date: dt.date | None = None,
                 notes: str | None = None, source: str | None = None, source_id: int | None = None) -> StockDocument:
    """A new draft of ``kind`` (receipt | issue | transfer) in ``warehouse_id`` (the default
    warehouse when None), dated ``date`` (today where the users are, when None)."""
    if not actor.can(CREATE):
        raise PermissionDenied(CREATE)
    if kind not in dict(KINDS):
        raise InputError("Choose one of the listed values")
    doc = StockDocument(kind=kind, state="draft", source=source, source_id=source_id, owner_id=actor.user_id or None)
    _set_header(kernel, session, actor, doc, warehouse_id=warehouse_id, to_warehouse_id=to_warehouse_id,
                partner_id=partner_id, date=date or local_today(kernel.config.timezone), notes=notes)
    session.add(doc)
    session.flush()
    return doc


def set_header(kernel: Any, session: Session, actor: Actor, doc_id: int, *, warehouse_id: int | None,
               to_warehouse_id: int | None = None, partner_id: int | None = None, date: dt.date | None = None,
               notes: str | None = None) -> StockDocument:
    """The draft's warehouse(s), partner, date and notes, as the editor's header saves them."""
    doc = load_draft(kernel, session, actor, doc_id)
    _set_header(kernel, session, actor, doc, warehouse_id=warehouse_id, to_warehouse_id=to_warehouse_id,
                partner_id=partner_id, date=date or doc.date, notes=notes)
    session.flush()
    return doc


def _set_header(kernel: Any, session: Session, actor: Actor, doc: StockDocument, *, warehouse_id: int | None,
                to_warehouse_id: int | None, partner_id: int | None, date: dt.date, notes: str | None) -> None:
    warehouse_id = warehouse_id or default_warehouse_id(session)
    if warehouse_id is None or not _active_warehouse(session, warehouse_id):
        raise InputError("Choose a warehouse")
    if doc.kind == "transfer":
        if to_warehouse_id is None or not _active_warehouse(session, to_warehouse_id):
            raise InputError("Choose the warehouse the goods go to")
        if to_warehouse_id == warehouse_id:
            raise InputError("A transfer goes to another warehouse")
    else:
        to_warehouse_id = None
    if partner_id is not None:
        from modules.base.models import Partner

        if session.scalar(kernel.scoped_select(actor, Partner).where(Partner.id == partner_id)
                          .with_only_columns(Partner.id)) is None:
            raise InputError("No such record")
    doc.warehouse_id, doc.to_warehouse_id, doc.partner_id = warehouse_id, to_warehouse_id, partner_id
    doc.date, doc.notes = date, clean_input(_printable(notes or "", keep="\n"))[:2000] or None


def _active_warehouse(session: Session, warehouse_id: int) -> bool:
    return session.scalar(select(Warehouse.id).where(Warehouse.id == warehouse_id, Warehouse.active.is_(True),
                                                     Warehouse.deleted_at.is_(None))) is not None


def load(kernel: Any, session: Session, actor: Actor, doc_id: int, action: str = "view") -> StockDocument:
    """The document as the actor may see it (``NotFound`` otherwise: the same answer on purpose)."""
    doc = session.scalar(kernel.scoped_select(actor, StockDocument, action).where(StockDocument.id == doc_id))
    if doc is None:
        raise NotFound(doc_id)
    return doc


def load_draft(kernel: Any, session: Session, actor: Actor, doc_id: int) -> StockDocument:
    """The draft to change, its row locked (PostgreSQL) so two scans of the same product on one
    document queue up and make one line of two, not two lines."""
    if not actor.can(EDIT):
        raise PermissionDenied(EDIT)
    doc = session.scalar(kernel.scoped_select(actor, StockDocument, "edit").where(StockDocument.id == doc_id)
                         .with_for_update())
    if doc is None:
        raise NotFound(doc_id)
    if doc.state != "draft":
        raise Conflict("Only a draft document can be changed")
    return doc


# -- lines -------------------------------------------------------------------------------------
def find_product(kernel: Any, session: Session, actor: Actor, code: str) -> Product:
    """The live product whose barcode (first) or code is ``code``, within the actor's scope."""
    typed, code = clean_input(str(code or "")).strip(), clean_code(code)
    if not code:
        raise InputError("Scan or type a product's code or barcode")
    if len(code) > MAX_CODE:
        raise InputError("No product has the code or barcode {code}", code=ShownCode(code[:MAX_CODE] + "…"))
    product = session.scalar(kernel.scoped_select(actor, Product).where(or_(Product.barcode == code,
                                                                            Product.code == code))
                             .order_by((Product.barcode == code).desc(), Product.active.desc(), Product.id).limit(1))
    if product is None and not code.isdigit():  # letters: maybe part of its name («فرش ۱۲۰۰ شانه»)
        return _by_name(kernel, session, actor, typed)
    if product is None:
        raise InputError("No product has the code or barcode {code}", code=ShownCode(code))
    return product


NAMES_SHOWN = 5


def _by_name(kernel: Any, session: Session, actor: Actor, text: str) -> Product:
    """The one stockable product whose name holds ``text`` (ی/ک and digits normalised, by the
    product list's own search), or the one named exactly so; several → their names, to type more."""
    cond = search_condition(kernel, kernel.resources["finance.product"], text)
    variant = aliased(Product)
    has_variants = exists().where(variant.parent_id == Product.id, variant.deleted_at.is_(None))
    found = [] if cond is None else list(session.scalars(
        kernel.scoped_select(actor, Product).where(cond, Product.active.is_(True), Product.kind != "service",
                                                   ~has_variants)
        .order_by(Product.name, Product.id).limit(NAMES_SHOWN + 1)))
    exact = [p for p in found if search_key(p.name) == search_key(text)]
    if len(found) == 1 or len(exact) == 1:
        return (exact or found)[0]
    if not found:
        raise InputError("No product has the code, barcode or name {code}", code=text)
    names = "، ".join(p.name for p in found[:NAMES_SHOWN]) + ("، …" if len(found) > NAMES_SHOWN else "")
    raise InputError("Several products match «{text}»: {names}. Type more of the name, or its code",
                     text=text, names=names)


def _stockable(kernel: Any, session: Session, actor: Actor, product_id: int) -> Product:
    """A product a stock line may hold: live, active, goods, and not a product that has variants
    (its stock is kept per variant: a carpet per size and colour). Finance's line picker hides
    such a parent but its documents' service does not refuse it, so the rule is said here."""
    return _stockable_many(kernel, session, actor, [product_id])[product_id]


def _stockable_many(kernel: Any, session: Session, actor: Actor, product_ids: Sequence[int]) -> dict[int, Product]:
    """:func:`_stockable` of many products in two reads (an invoice's issue: not two per line)."""
    products = {int(p.id): p for p in session.scalars(kernel.scoped_select(actor, Product).where(
        Product.id.in_(set(product_ids))))}
    parents = set(session.scalars(select(Product.parent_id).where(
        Product.parent_id.in_(set(product_ids)), Product.deleted_at.is_(None)).distinct()))
    for product_id in product_ids:
        product = products.get(product_id)
        if product is None:
            raise InputError("Choose a product")
        if not product.active:
            raise InputError("{name} is inactive", name=product.name)
        if product.kind == "service":
            raise InputError("{name} is a service; services are not kept in stock", name=product.name)
        if product_id in parents:
            raise InputError("{name} has variants: choose the variant (its size, colour…)", name=product.name)
    return products


def check_quantity(quantity: Decimal) -> Decimal:
    if quantity <= 0:
        raise InputError("The quantity must be more than zero")
    exponent = quantity.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > QUANTITY_PLACES:
        raise InputError("At most {n} decimal places", n=QUANTITY_PLACES)
    if quantity >= QUANTITY_MAX:
        raise InputError("The number is too large")
    return quantity


def _check_cost(unit_cost: int) -> int:
    if unit_cost < 0:
        raise InputError("The amount cannot be negative")
    if unit_cost >= 10**15:
        raise InputError("The number is too large")
    return unit_cost


def clean_serials(serials: Iterable[str]) -> list[str]:
    """Serials as typed or scanned (one per line of text), each made ASCII and trimmed; a serial
    given twice is refused, naming it."""
    out: list[str] = []
    for raw in serials:
        serial = clean_code(raw)
        if not serial:
            continue
        if len(serial) > 80:
            raise InputError("The serial {serial} is too long", serial=serial[:80] + "…")
        if serial in out:
            raise InputError("The serial {serial} is given twice", serial=serial)
        out.append(serial)
    return out


def _check_serials(session: Session, doc: StockDocument, product_id: int, serials: Sequence[str],
                   except_line: int | None = None) -> None:
    """No serial twice on the document for the product; a receipt's serial never received before."""
    for line in lines_of(session, doc.id):
        if line.product_id != product_id or line.id == except_line:
            continue
        taken = set((line.serials or "").split("\n")) & set(serials)
        if taken:
            raise InputError("The serial {serial} is given twice", serial=sorted(taken)[0])
    if doc.kind == "receipt" and serials:  # said now, as posting would say it (a serial is used once)
        used = session.scalar(select(Serial.serial).where(Serial.product_id == product_id,
                                                          Serial.serial.in_(list(serials))).limit(1))
        if used is not None:
            product = session.get(Product, product_id)
            raise InputError("Serial number {serial} of {product} was received before: a serial number is used once",
                             serial=used, product=product.name if product else "")


def tracks_serials(session: Session, product_id: int) -> bool:
    item = session.get(InventoryItem, product_id)
    return bool(item and item.tracks_serials)


def add_line(kernel: Any, session: Session, actor: Actor, doc_id: int, *, product_id: int | None = None,
             code: str | None = None, quantity: Decimal | None = None, unit_cost: int | None = None,
             serials: Sequence[str] = ()) -> StockDocumentLine:
    """Add ``quantity`` (1 when None; the number of serials when serials are given) of a product,
    given by id or by ``code``, to the draft. A receipt's unit cost defaults to the product's
    average cost in finance (what it is worth now), so a receipt of goods bought before is valued
    as finance values them."""
    doc = load_draft(kernel, session, actor, doc_id)
    if product_id is None:
        product_id = find_product(kernel, session, actor, code or "").id
    product = _stockable(kernel, session, actor, product_id)
    serial_list = clean_serials(serials)
    if quantity is None:
        quantity = Decimal(len(serial_list) or 1)
    check_quantity(quantity)
    if serial_list and quantity != len(serial_list):
        raise InputError("Give one serial for each unit: {n} units, {m} serials", n=_plain(quantity),
                         m=len(serial_list))
    if unit_cost is not None:
        _check_cost(unit_cost)
    _check_serials(session, doc, product.id, serial_list)
    existing = None if serial_list else next(
        (ln for ln in lines_of(session, doc.id) if ln.product_id == product.id and not ln.serials), None)
    if existing is not None:
        check_quantity(Decimal(existing.quantity) + quantity)
        existing.quantity = Decimal(existing.quantity) + quantity
        if unit_cost is not None and doc.kind == "receipt":
            existing.unit_cost = unit_cost
        session.flush()
        return existing
    if unit_cost is None:
        unit_cost = _average_cost(session, product.id) if doc.kind == "receipt" else 0
    position = session.scalar(select(func.coalesce(func.max(StockDocumentLine.position), 0))
                              .where(StockDocumentLine.document_id == doc.id)) or 0
    line = StockDocumentLine(document_id=doc.id, position=int(position) + 1, product_id=product.id,
                             quantity=quantity, unit_cost=unit_cost if doc.kind == "receipt" else 0,
                             serials="\n".join(serial_list) or None)
    session.add(line)
    session.flush()
    return line


def set_line(kernel: Any, session: Session, actor: Actor, doc_id: int, line_id: int, *,
             quantity: Decimal | None = None, unit_cost: int | None = None,
             serials: Sequence[str] | None = None) -> StockDocumentLine:
    """Change a line's quantity, unit cost (receipts) or serials; None leaves a value as it is.
    Serials given make the quantity their number unless a quantity is given too."""
    doc = load_draft(kernel, session, actor, doc_id)
    line = _line(session, doc, line_id)
    serial_list = None if serials is None else clean_serials(serials)
    if quantity is None:
        quantity = Decimal(len(serial_list)) if serial_list else Decimal(line.quantity)
    check_quantity(quantity)
    if serial_list is None and line.serials:
        serial_list = line.serials.split("\n")
    if serial_list and quantity != len(serial_list):
        raise InputError("Give one serial for each unit: {n} units, {m} serials", n=_plain(quantity),
                         m=len(serial_list))
    if unit_cost is not None:
        _check_cost(unit_cost)
    if serial_list:
        _check_serials(session, doc, line.product_id, serial_list, except_line=line.id)
    line.quantity = quantity
    if unit_cost is not None and doc.kind == "receipt":
        line.unit_cost = unit_cost
    if serials is not None:
        line.serials = "\n".join(serial_list or []) or None
    session.flush()
    return line


def remove_line(kernel: Any, session: Session, actor: Actor, doc_id: int, line_id: int) -> None:
    doc = load_draft(kernel, session, actor, doc_id)
    session.delete(_line(session, doc, line_id))
    session.flush()


def _line(session: Session, doc: StockDocument, line_id: int) -> StockDocumentLine:
    line = session.get(StockDocumentLine, line_id)
    if line is None or line.document_id != doc.id:
        raise NotFound(line_id)
    return line


def _average_cost(session: Session, product_id: int) -> int:
    from modules.finance.services import average_cost

    return average_cost.of(session, product_id)[1]
