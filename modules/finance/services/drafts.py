"""Writing documents: a header with its lines in one go, or lines added, changed and removed in a
batch (the line editor's "save all"; one line is a batch of one), each write recomputing the totals
once in the same transaction. The rules of the lines are read once per write, for all its lines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from kernel import Actor, InputError, NotFound
from kernel.persian.money import parse_money
from kernel.persian.numbers import parse_decimal
from kernel.persian.textnorm import clean_input
from kernel.records import FormErrors, create_record, get_record
from modules.finance.events import InvoiceChanged
from modules.finance.fiscal_guard import refuse_closed
from modules.finance.models import Invoice, Product
from modules.finance.services import line_rules
from modules.finance.services.documents import (
    DocType,
    check_editable,
    column_defaults,
    header_recompute_deferred,
    lines_of,
    note_history,
    number_new_lines,
    recompute,
)
from modules.finance.totals import DISCOUNT_KINDS, PERCENT, discount_amount, line_gross

LINE_FIELDS = ("product_id", "description", "quantity", "unit_price", "serial_number", "discount_kind",
               "discount_value")
_LIMITS = {"description": 500, "serial_number": 80}
# What the line's columns keep (document_base: Numeric(18, 3) and Numeric(18, 2)): more decimals
# would be rounded away when stored, after the amounts were computed from them.
QUANTITY_PLACES, DISCOUNT_PLACES, QUANTITY_MAX = 3, 2, Decimal(10) ** 12


def _number(raw: Any, parse: Any) -> Any:
    return raw if isinstance(raw, int | Decimal) and not isinstance(raw, bool) else parse(clean_input(str(raw)))


def parse_line(data: Mapping[str, Any], money_unit: str = "rial") -> dict[str, Any]:
    """A line's values from what was typed (Persian digits, ٫ decimals, separators) or given
    typed; every problem at once, each on its field, in ``FormErrors``."""
    values: dict[str, Any] = {}
    errors: dict[str, InputError] = {}
    for name in LINE_FIELDS:
        raw = data.get(name)
        if raw is None or (isinstance(raw, str) and not clean_input(raw)):
            continue
        try:
            if name == "product_id":
                values[name] = _number(raw, lambda s: int(parse_decimal(s)))
            elif name == "quantity":
                values[name] = Decimal(_number(raw, parse_decimal))
            elif name == "unit_price":
                values[name] = _number(raw, lambda s: parse_money(s, money_unit))  # type: ignore[arg-type]
            elif name == "discount_value":
                values[name] = Decimal(_number(raw, parse_decimal))
            elif name == "discount_kind":
                if raw not in dict(DISCOUNT_KINDS):
                    raise InputError("Choose one of the listed values")
                values[name] = raw
            else:
                text = clean_input(str(raw))
                if len(text) > _LIMITS[name]:
                    raise InputError("At most {n} characters", n=_LIMITS[name])
                values[name] = text
        except InputError as exc:
            errors[name] = exc
    if errors:
        raise FormErrors(errors)
    return values


def _product(session: Session, values: dict[str, Any], products: Mapping[int, Any] | None) -> Any:
    """The line's product: from ``products`` (loaded for all the lines at once) or read. The
    caller keeps it referenced while the rules run: the session's identity map holds objects
    weakly, and the pricing and policy functions ``get`` it again."""
    pid = values.get("product_id")
    if not pid:
        return None
    if products is not None and pid in products:
        return products[pid]
    return session.get(Product, pid)


def _places(value: Decimal) -> int:
    exponent = Decimal(value).normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _check_line(values: dict[str, Any], new: bool, product: Any) -> None:
    """Rules of one line, each on its field: a product that exists (and is active, for a new
    line), a quantity above zero, a price not below zero, a discount within the line's gross."""
    errors: dict[str, InputError] = {}
    if product is None or product.deleted_at is not None or (new and not product.active):
        errors["product_id"] = InputError("Choose a product" if not values.get("product_id") else "No such record")
    quantity = values.get("quantity")
    if quantity is None:
        errors["quantity"] = InputError("This field is required")
    elif quantity <= 0:
        errors["quantity"] = InputError("The quantity must be more than zero")
    elif _places(quantity) > QUANTITY_PLACES:  # the column keeps thousandths: it would round
        errors["quantity"] = InputError("At most {n} decimal places", n=QUANTITY_PLACES)
    elif quantity >= QUANTITY_MAX:
        errors["quantity"] = InputError("The number is too large")
    discount = values.get("discount_value")
    if discount is not None and _places(discount) > DISCOUNT_PLACES:
        errors["discount_value"] = InputError("At most {n} decimal places", n=DISCOUNT_PLACES)
    price = values.get("unit_price")
    if price is not None and price < 0:
        errors["unit_price"] = InputError("The price cannot be negative")
    if quantity is not None and not {"quantity", "unit_price", "discount_value"} & errors.keys() and price is not None:
        try:
            discount_amount(line_gross(quantity, price), values.get("discount_kind") or PERCENT,
                            values.get("discount_value") or Decimal(0))
        except InputError as exc:
            errors["discount_value"] = exc
    if errors:
        raise FormErrors(errors)


def load(kernel: Any, session: Session, actor: Actor, doc: DocType, doc_id: int, action: str = "edit") -> Any:
    """The document, locked for the rest of the transaction, if the actor may ``action`` it."""
    return get_record(kernel, session, actor, kernel.resources[doc.name], doc_id, action, for_update=True)


def _summary(line: Any) -> str:
    discount = Decimal(line.discount_value or 0).normalize()
    # "f": 10 is written 10, not 1E+1 (what normalize() alone gives)
    return (f"#{line.product_id} × {Decimal(line.quantity).normalize():f} × {int(line.unit_price):,}"
            f" − {discount:f}{'%' if line.discount_kind == PERCENT else ''}")


def _drop_unchanged(line: Any, values: dict[str, Any]) -> dict[str, Any]:
    """A form sends every field of a line: a value equal to what the line has is not a change
    (so editing only the quantity re-quotes a rule-set price instead of "overriding" it)."""
    if line is None:
        return values
    out = dict(values)
    for name in ("unit_price", "discount_kind", "discount_value"):
        if name in out and out[name] == getattr(line, name):
            del out[name]
    if "discount_kind" in out and "discount_value" not in out and not line.discount_value:
        del out["discount_kind"]  # the switch turned on a zero discount changes nothing
    return out


def _write_line(kernel: Any, session: Session, actor: Actor, doc_type: DocType, doc: Any, line: Any,
                values: dict[str, Any], position: int, products: Mapping[int, Any],
                book: line_rules.DocumentRules | None) -> Any:
    """Write one line (and return it). The price and the discount come from the rules
    (:mod:`line_rules`) unless typed; a typed value that differs from the rules' needs
    ``finance.price.override``. A new line goes at ``position`` (the caller numbers them);
    ``products`` and ``book`` were read once for all the lines the caller writes. A new line of a
    document not written yet (no id) is not added to the session: the caller adds it once the
    document has its id."""
    new = line is None
    values = _drop_unchanged(line, values)
    merged = {n: getattr(line, n) for n in LINE_FIELDS} if line is not None else {}
    merged.update(values)
    product = _product(session, merged, products)
    _check_line(merged, new, product)
    assert product is not None
    moved = new or merged["product_id"] != line.product_id or merged["quantity"] != line.quantity
    price_typed = "unit_price" in values
    discount_typed = "discount_value" in values or "discount_kind" in values
    keep_price = not new and not price_typed and (not moved or bool(line.price_by_hand))
    rules = line_rules.price_rules(kernel, session, doc, product.id, merged["quantity"],
                                   merged["unit_price"] if price_typed or keep_price else None, book=book)
    price_rule = getattr(line, "price_rule", None)
    price_by_hand = bool(getattr(line, "price_by_hand", False))
    if price_typed:
        price_by_hand = merged["unit_price"] != rules.quote.unit_price
        if price_by_hand:
            line_rules.check_override(actor, "unit_price", rules.price_label)
        price_rule = None if price_by_hand else rules.price_label
    elif not keep_price:
        merged["unit_price"], price_rule, price_by_hand = rules.quote.unit_price, rules.price_label, False
    repriced = not new and merged["unit_price"] != line.unit_price
    # The discount: the policy's, unless typed (or typed before and kept).
    policy = (rules.discount_kind, rules.discount_value)
    discount_rule = getattr(line, "discount_rule", None)
    discount_by_hand = bool(getattr(line, "discount_by_hand", False))
    if discount_typed:
        typed = (merged.get("discount_kind") or PERCENT, merged.get("discount_value") or Decimal(0))
        if rules.discount is None:
            discount_by_hand, discount_rule = bool(typed[1]), None
        elif not line_rules.same_discount(merged["quantity"], merged["unit_price"], typed, policy):
            line_rules.check_override(actor, "discount_value", rules.discount_label)
            discount_by_hand, discount_rule = True, None
        else:
            discount_by_hand, discount_rule = False, rules.discount_label
    elif new or ((moved or repriced) and not discount_by_hand):
        merged["discount_kind"], merged["discount_value"] = policy
        discount_rule, discount_by_hand = rules.discount_label, False
    _check_line(merged, new, product)
    if line is None:
        line = doc_type.line_model(**{doc_type.fk: doc.id}, position=position)
        if doc.id is not None:
            session.add(line)
    if line.product_id != merged["product_id"] or new:
        line.tax_exempt = bool(product.tax_exempt)  # as the product is now; kept afterwards
    for name in LINE_FIELDS:
        setattr(line, name, merged.get(name))
    line.discount_kind = merged.get("discount_kind") or PERCENT
    line.discount_value = merged.get("discount_value") or Decimal(0)
    line.price_rule, line.discount_rule = price_rule, discount_rule
    line.price_by_hand, line.discount_by_hand = price_by_hand, discount_by_hand
    return line


_PRODUCTS = select(Product).where(Product.id.in_(bindparam("ids", expanding=True)))


@dataclass(frozen=True)
class LineChange:
    """One row of a batch of the line editor: a new line (``line_id`` None), a change to a
    line, or its removal. Its errors come back keyed ``<key>.<field>`` (plain ``<field>`` when
    ``key`` is empty)."""

    key: str
    values: Mapping[str, Any]
    line_id: int | None = None
    delete: bool = False


def _keyed(key: str, errors: Mapping[str, InputError]) -> dict[str, InputError]:
    return {f"{key}.{k}" if key else k: v for k, v in errors.items()}


def _apply(kernel: Any, session: Session, actor: Actor, doc_type: DocType, doc: Any, existing: list[Any],
           changes: Sequence[LineChange]) -> tuple[list[Any], list[Any], dict[str, list[str | None]]]:
    """Write ``changes`` to ``doc`` whose lines are ``existing`` (in order), all or nothing:
    every problem of every row at once in ``FormErrors``. Answers the lines written (in the
    order of ``changes``; None for a removal), the document's lines after the changes (in
    order) and what changed, by line label, for the history.

    The products, the rules (price lists, tiers, policies, the customer's history) are read
    once for all the rows; new lines are numbered here and nothing is flushed until the end
    (the caller's flush writes every line at once: one multi-row INSERT on PostgreSQL)."""
    errors: dict[str, InputError] = {}
    parsed: list[tuple[LineChange, dict[str, Any]]] = []
    by_id = {li.id: li for li in existing}
    named = [c.line_id for c in changes if c.line_id is not None]
    if len(named) != len(set(named)):
        raise InputError("Choose one of the listed values")  # one row per line in a batch
    for change in changes:
        if change.line_id is not None and change.line_id not in by_id:
            raise NotFound(doc_type.name)
        try:
            parsed.append((change, {} if change.delete else parse_line(change.values, actor.money_unit)))
        except FormErrors as exc:
            errors |= _keyed(change.key, exc.errors)
    ids = {v["product_id"] for _c, v in parsed if v.get("product_id")}
    ids |= {by_id[c.line_id].product_id for c, _v in parsed if c.line_id is not None and not c.delete}
    # Kept referenced until the end: the rules ``get`` them for every line.
    products = {p.id: p for p in session.scalars(_PRODUCTS, {"ids": list(ids)})} if ids else {}
    writing = bool(ids) and any(not c.delete for c, _v in parsed)
    book = line_rules.document_rules(session, doc, {i: products.get(i) for i in ids}) if writing else None
    position = max((li.position for li in existing), default=0)
    written: list[Any] = []
    removed: set[int] = set()
    notes: dict[str, list[str | None]] = {}
    with session.no_autoflush:  # the rules' and the rates' reads need none of these rows
        for change, values in parsed:
            line = by_id[change.line_id] if change.line_id is not None else None
            if change.delete:
                if line is None:
                    raise NotFound(doc_type.name)
                notes[str(line.position)] = [_summary(line), None]
                session.delete(line)
                removed.add(line.id)
                written.append(None)
                continue
            before = _summary(line) if line is not None else None
            try:
                written.append(_write_line(kernel, session, actor, doc_type, doc, line, values, position + 1,
                                           products, book))
            except FormErrors as exc:
                errors |= _keyed(change.key, exc.errors)
                continue
            if line is None:
                position += 1
            notes[str(written[-1].position)] = [before, _summary(written[-1])]
        if errors:
            raise FormErrors(errors)
        new = [li for li in written if li is not None and li.id is None]
        number_new_lines(session, doc_type.line_model, new)
        lines = [li for li in existing if li.id not in removed] + new
        recompute(session, doc, lines)
    return written, lines, notes


@dataclass(frozen=True)
class Saved:
    """What :func:`save_lines` wrote: the document, its lines now (in order) and the lines of
    the batch (in the order of its changes; None for a removal)."""

    doc: Any
    lines: list[Any]
    written: list[Any]


def save_lines(kernel: Any, session: Session, actor: Actor, doc_type: DocType, doc_id: int,
               changes: Sequence[LineChange]) -> Saved:
    """Several lines of a document added, changed or removed at once (the line editor's "save
    all"), all or nothing: a bad row saves none, and every row's problems come back together.
    One recomputation of the totals, one entry in the document's history, one ``InvoiceChanged``
    for an issued invoice."""
    doc = load(kernel, session, actor, doc_type, doc_id)
    check_editable(actor, doc)
    refuse_closed(kernel, session, __all__=doc.date)  # -- fiscal year
    written, lines, notes = _apply(kernel, session, actor, doc_type, doc, lines_of(session, doc), changes)
    session.flush()
    if notes:
        note_history(session, doc, {kernel.t("fa", "Line {n}", n=label): change for label, change in notes.items()})
    if isinstance(doc, Invoice) and doc.state == "issued":
        kernel.emit(InvoiceChanged(doc.id, doc.grand_total, doc.balance), session)
    return Saved(doc, lines, written)


def add_line(kernel: Any, session: Session, actor: Actor, doc_type: DocType, doc_id: int,
             values: Mapping[str, Any]) -> Any:
    """Append a line (values typed or as text); the unit price defaults to the product's price."""
    return save_lines(kernel, session, actor, doc_type, doc_id, [LineChange("", values)]).written[0]


def update_line(kernel: Any, session: Session, actor: Actor, doc_type: DocType, doc_id: int, line_id: int,
                values: Mapping[str, Any]) -> Any:
    return save_lines(kernel, session, actor, doc_type, doc_id, [LineChange("", values, line_id)]).written[0]


def remove_line(kernel: Any, session: Session, actor: Actor, doc_type: DocType, doc_id: int, line_id: int) -> None:
    save_lines(kernel, session, actor, doc_type, doc_id, [LineChange("", {}, line_id, delete=True)])


def create_document(kernel: Any, session: Session, actor: Actor, doc_type: DocType, header: Mapping[str, Any],
                    lines: Sequence[Mapping[str, Any]] = ()) -> Any:
    """A draft with its lines, all or nothing: the header through the resource's own path
    (permission, customer's scope, validation, history), then each line. A line's errors come
    back keyed ``line<i>.<field>`` (from 1).

    Written for few statements (the chain's 60 ms goal, docs/PERFORMANCE.md): the lines are
    written before the header is (:func:`kernel.records.create_record`'s ``complete``, after the
    header's checks), so the header goes in with its totals and rates by its one INSERT (no
    UPDATE, no second history row) and is not recomputed by its ``RecordChanged`` handler; the
    products and the rules are read once for all the lines (:func:`_apply`), which go in with
    their amounts at one flush."""
    new: list[Any] = []

    def complete(doc: Any) -> None:
        column_defaults(doc)
        new.extend(_apply(kernel, session, actor, doc_type, doc, [],
                          [LineChange(f"line{i}", values) for i, values in enumerate(lines, 1)])[1])

    with header_recompute_deferred(session):
        doc = create_record(kernel, session, actor, kernel.resources[doc_type.name], header, complete)
    for line in new:
        setattr(line, doc_type.fk, doc.id)
    session.add_all(new)
    session.flush()
    return doc
