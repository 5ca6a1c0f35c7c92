"""Purchase invoices from suppliers (FIN-18): a draft with its lines, posted (numbered, its lines
moving the products' average cost) and voided, each in the caller's transaction.

The totals are the sales documents' (:func:`modules.finance.totals.compute`, the tax rates in force
on the purchase's date from :func:`modules.finance.models.tax.rates_on`); a line is read and checked
by the sales line's own rules (:mod:`modules.finance.services.drafts`), its unit cost standing in
for the unit price. A posted purchase changes only by its payments; a void one never.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel import Actor, Conflict, InputError, PermissionDenied
from kernel.db import utcnow
from kernel.records import FormErrors, create_record, get_record
from modules.base.services.roles import roles_of
from modules.finance import fiscal_guard
from modules.finance.models import Product, Purchase, PurchaseLine
from modules.finance.models.tax import rates_on
from modules.finance.numbers import next_number
from modules.finance.services import average_cost
from modules.finance.services.documents import note_history
from modules.finance.services.drafts import _check_line as check_line
from modules.finance.services.drafts import parse_line
from modules.finance.totals import PERCENT, DocumentTotals, LineInput, compute

RESOURCE = "finance.purchase"
SERIES = "finance.purchase"
POST = "finance.purchase.post"
_AMOUNTS = ("gross", "discount_amount", "taxable", "vat", "municipal", "total")


def check_purchase(values: Mapping[str, Any], record: Purchase | None = None, session: Session | None = None,
                   kernel: Any = None, **_: Any) -> dict[str, InputError]:
    """The header's rules in every path: a supplier (a partner with the supplier role), no change
    once posted or void, and no date in a closed fiscal year (FIN-16)."""
    if record is not None and record.state != "draft":
        return {"__all__": InputError("A posted or void purchase invoice cannot be changed")}
    if kernel is not None and session is not None:
        dates = {"date": values.get("date")}
        if record is not None and record.date != values.get("date"):  # moved out of a closed year
            dates["__all__"] = record.date
        closed = fiscal_guard.problems(kernel, session, dates)
        if closed:
            return closed
    partner = values.get("partner_id")
    if session is not None and partner and "supplier" not in roles_of(session, partner):
        return {"partner_id": InputError("Only a partner with the supplier role can be the supplier")}
    return {}


def load(kernel: Any, session: Session, actor: Actor, purchase_id: int, action: str = "edit") -> Purchase:
    """The purchase, its row locked for the rest of the transaction, if ``actor`` may ``action`` it."""
    doc: Purchase = get_record(kernel, session, actor, kernel.resources[RESOURCE], purchase_id, action,
                               for_update=True)
    session.refresh(doc)
    return doc


def lines_of(session: Session, purchase_id: int) -> list[PurchaseLine]:
    return list(session.scalars(select(PurchaseLine).where(PurchaseLine.purchase_id == purchase_id)
                                .order_by(PurchaseLine.position, PurchaseLine.id)))


def recompute(session: Session, doc: Purchase, lines: list[PurchaseLine]) -> DocumentTotals:
    """Every amount of the purchase and its lines; a draft takes the rates in force on its date."""
    if doc.state == "draft":
        doc.vat_rate_bp, doc.municipal_rate_bp = rates_on(session, doc.date)
    t = compute([LineInput(Decimal(li.quantity), int(li.unit_cost), li.discount_kind,
                           Decimal(li.discount_value or 0), bool(li.tax_exempt)) for li in lines],
                vat_bp=doc.vat_rate_bp, municipal_bp=doc.municipal_rate_bp)
    for line, lt in zip(lines, t.lines, strict=True):
        for name, value in zip(_AMOUNTS, (lt.gross, lt.discount, lt.taxable, lt.vat, lt.municipal, lt.total),
                               strict=True):
            setattr(line, name, value)
    doc.net_amount, doc.vat_amount, doc.municipal_amount = t.taxable, t.vat, t.municipal
    doc.grand_total = t.grand_total
    doc.balance = 0 if doc.state == "void" else t.grand_total - (doc.paid or 0)
    return t


def _note(kernel: Any, session: Session, doc: Purchase, changes: dict[str, list[Any]]) -> None:
    """A change the page's history would not show by itself (the lines, the state: no form field),
    its names written in the app's first language as an alarm's title is (stored as text)."""
    note_history(session, doc, {kernel.t("fa", name): pair for name, pair in changes.items()})


def _line_text(session: Session, line: PurchaseLine) -> str:
    product = session.get(Product, line.product_id)
    return f"{product.name if product else line.product_id} × {Decimal(line.quantity).normalize():f} × {line.unit_cost:,}"


def _draft(kernel: Any, session: Session, actor: Actor, purchase_id: int) -> Purchase:
    doc = load(kernel, session, actor, purchase_id)
    if doc.state != "draft":
        raise Conflict("A posted or void purchase invoice cannot be changed")
    return doc


def add_lines(kernel: Any, session: Session, actor: Actor, purchase_id: int,
              rows: Sequence[Mapping[str, Any]]) -> list[PurchaseLine]:
    """Lines added to a draft, the totals recomputed once; every problem on its field, nothing added."""
    doc = _draft(kernel, session, actor, purchase_id)
    unit = getattr(actor, "money_unit", "rial")
    position = session.scalar(select(func.coalesce(func.max(PurchaseLine.position), 0))
                              .where(PurchaseLine.purchase_id == doc.id)) or 0
    added: list[PurchaseLine] = []
    for row in rows:
        values = _checked(session, row, unit)
        product = session.get(Product, values["product_id"])
        position += 1
        added.append(PurchaseLine(purchase_id=doc.id, position=position, product_id=values["product_id"],
                                  quantity=values["quantity"], unit_cost=values["unit_cost"],
                                  discount_kind=values.get("discount_kind") or PERCENT,
                                  discount_value=values.get("discount_value") or Decimal(0),
                                  tax_exempt=bool(product is not None and product.tax_exempt)))
    session.add_all(added)
    session.flush()
    recompute(session, doc, lines_of(session, doc.id))
    session.flush()
    _note(kernel, session, doc, {"Lines": [None, [_line_text(session, li) for li in added]]})
    return added


def _checked(session: Session, row: Mapping[str, Any], unit: str) -> dict[str, Any]:
    """A line as typed, read and checked by the sales line's rules (``unit_cost`` standing in for
    its unit price); every problem on its field."""
    def ours(errors: Mapping[str, InputError]) -> FormErrors:
        return FormErrors({("unit_cost" if k == "unit_price" else k): v for k, v in errors.items()})

    try:
        values = parse_line({("unit_price" if k == "unit_cost" else k): v for k, v in row.items()}, unit)
    except FormErrors as exc:
        raise ours(exc.errors) from None
    product = session.get(Product, values["product_id"]) if values.get("product_id") else None
    errors: dict[str, InputError] = {}
    try:
        check_line(values, True, product)
    except FormErrors as exc:
        errors |= exc.errors
    if "unit_price" not in values:
        errors["unit_price"] = InputError("This field is required")
    if errors:
        raise ours(errors)
    values["unit_cost"] = values.pop("unit_price")
    return values


def remove_line(kernel: Any, session: Session, actor: Actor, purchase_id: int, line_id: int) -> None:
    doc = _draft(kernel, session, actor, purchase_id)
    line = session.get(PurchaseLine, line_id)
    if line is None or line.purchase_id != doc.id:
        raise Conflict("This line is not on this purchase invoice")
    gone = _line_text(session, line)
    session.delete(line)
    session.flush()
    recompute(session, doc, lines_of(session, doc.id))
    _note(kernel, session, doc, {"Lines": [gone, None]})
    session.flush()


def create_purchase(kernel: Any, session: Session, actor: Actor, header: Mapping[str, Any],
                    lines: Sequence[Mapping[str, Any]] = ()) -> Purchase:
    """A draft purchase with its lines, in one transaction."""
    doc: Purchase = create_record(kernel, session, actor, kernel.resources[RESOURCE], dict(header))
    if lines:
        add_lines(kernel, session, actor, doc.id, lines)
    return doc


def post(kernel: Any, session: Session, actor: Actor, purchase_id: int) -> Purchase:
    """Draft → posted: the rates of its date kept, our number taken, the lines' costs moving each
    product's average. One transaction: a failure leaves no number used and no cost moved."""
    if not actor.can(POST):
        raise PermissionDenied(POST)
    doc = _draft(kernel, session, actor, purchase_id)
    lines = lines_of(session, doc.id)
    if not lines:
        raise Conflict("A purchase invoice without lines cannot be posted")
    if "supplier" not in roles_of(session, doc.partner_id):
        raise FormErrors({"partner_id": InputError("Only a partner with the supplier role can be the supplier")})
    fiscal_guard.refuse_closed(kernel, session, date=doc.date)
    recompute(session, doc, lines)
    doc.number = next_number(session, SERIES, doc.date)
    doc.state, doc.posted_at = "posted", utcnow()
    session.flush()
    _note(kernel, session, doc, {"State": [kernel.t("fa", "Draft"), kernel.t("fa", "Posted")],
                                 "Our number": [None, doc.number]})
    average_cost.purchase_in(session, doc.id, doc.date, lines)
    return doc


def void(kernel: Any, session: Session, actor: Actor, purchase_id: int, reason: str) -> Purchase:
    """Posted → void with a reason; it keeps its number and its lines' costs leave the averages
    exactly (replayed). Payments must be removed first."""
    doc = load(kernel, session, actor, purchase_id, "delete")
    if not (reason or "").strip():
        raise FormErrors({"reason": InputError("Give the reason")})
    if doc.state != "posted":
        raise Conflict("Only a posted purchase invoice can be voided")
    if doc.paid:
        raise Conflict("Money was paid against this purchase invoice: remove its payments first")
    fiscal_guard.refuse_closed(kernel, session, date=doc.date)
    doc.state, doc.void_reason, doc.voided_at, doc.balance = "void", reason.strip()[:300], utcnow(), 0
    session.flush()
    _note(kernel, session, doc, {"State": [kernel.t("fa", "Posted"), kernel.t("fa", "Void")],
                                 "Reason for voiding": [None, doc.void_reason]})
    average_cost.cancel(session, "purchase", doc.id)
    return doc
