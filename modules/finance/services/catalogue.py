"""The catalogue's rules and services (FIN-01): a code unique among live products, variants
generated from chosen attribute values, and the products a new document line may offer.

``sellable`` is what the documents' line picker uses: active, live products that are sold as
they are — a product that has variants is sold through its variants, and a variant of an
inactive product is not offered either. Old documents keep pointing at whatever they sold.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.orm import Session, aliased

from kernel import Actor, InputError
from kernel.persian.textnorm import search_key
from kernel.records import create_record, get_record
from modules.finance.models import Attribute, AttributeValue, Product, ProductOption

if TYPE_CHECKING:
    from kernel.kernel import Kernel

SEPARATOR = " — "


# -- rules of the product form (every path: forms, API, imports, services) -------------------
def check_product(values: Mapping[str, Any], record: Any = None, session: Session | None = None,
                  **_: Any) -> dict[str, InputError]:
    """``Resource.validate`` of ``finance.product``: the code is unique among live products,
    and a product is not a variant of itself or of one of its own variants."""
    errors: dict[str, InputError] = {}
    if session is None:
        return errors
    code = (values.get("code") or "").strip()
    if code:
        stmt = select(Product.id).where(Product.code == code, Product.deleted_at.is_(None))
        if record is not None and record.id is not None:
            stmt = stmt.where(Product.id != record.id)
        if session.scalar(stmt.limit(1)) is not None:
            errors["code"] = InputError("Another product already has this code")
    parent_id = values.get("parent_id")
    if parent_id is not None and record is not None and record.id is not None:
        if parent_id == record.id:
            errors["parent_id"] = InputError("A product cannot be a variant of itself")
        elif session.scalar(select(Product.parent_id).where(Product.id == parent_id)) == record.id:
            errors["parent_id"] = InputError("A product cannot be a variant of its own variant")
    return errors


# -- the line picker -------------------------------------------------------------------------
def sellable_select() -> Select[Any]:
    """Products a new document line may offer: add ``.where(...)``/``.limit(...)`` as needed."""
    child = aliased(Product)
    parent = aliased(Product)
    has_variants = exists().where(child.parent_id == Product.id, child.deleted_at.is_(None))
    parent_ok = or_(Product.parent_id.is_(None),
                    exists().where(parent.id == Product.parent_id, parent.active.is_(True),
                                   parent.deleted_at.is_(None)))
    return (select(Product)
            .where(Product.deleted_at.is_(None), Product.active.is_(True), ~has_variants, parent_ok)
            .order_by(Product.sort_key, Product.id))


def sellable(session: Session, text: str = "", limit: int = 50) -> list[Product]:
    """Active products sold as they are, whose name, code or barcode contains ``text``."""
    stmt = sellable_select()
    key = search_key(text or "")
    if key:
        stmt = stmt.where(Product.search_key.contains(key, autoescape=True))
    return list(session.scalars(stmt.limit(limit)))


def is_sellable(session: Session, product_id: int) -> bool:
    return session.scalar(sellable_select().where(Product.id == product_id).with_only_columns(Product.id)) is not None


# -- variants --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Generated:
    created: list[int]
    existing: int


def options_of(session: Session, product_id: int) -> set[int]:
    return set(session.scalars(select(ProductOption.value_id).where(ProductOption.product_id == product_id)))


def _values(session: Session, value_ids: Sequence[int]) -> list[tuple[Attribute, list[AttributeValue]]]:
    """The chosen values grouped by attribute, attributes and values in their order."""
    if not value_ids:
        return []
    rows = session.execute(
        select(AttributeValue, Attribute).join(Attribute, Attribute.id == AttributeValue.attribute_id)
        .where(AttributeValue.id.in_(list(value_ids)), AttributeValue.deleted_at.is_(None),
               Attribute.deleted_at.is_(None))
        .order_by(Attribute.sequence, Attribute.id, AttributeValue.sequence, AttributeValue.id)).all()
    if len(rows) != len(set(value_ids)):
        raise InputError("Choose one of the listed values")
    grouped: dict[int, tuple[Attribute, list[AttributeValue]]] = {}
    for value, attribute in rows:
        grouped.setdefault(attribute.id, (attribute, []))[1].append(value)
    return list(grouped.values())


def variant_key(values: Sequence[AttributeValue]) -> str:
    return ".".join(str(i) for i in sorted(v.id for v in values))


def variant_name(product_name: str, values: Sequence[AttributeValue]) -> str:
    """«فرش کاشان — ۹ متری — کرم»: the product's name, then each value in attribute order."""
    return SEPARATOR.join([product_name, *(v.name for v in values)])


def _variant_code(session: Session, base: str, values: Sequence[AttributeValue]) -> str | None:
    if not base:
        return None
    parts = [(v.code or str(v.id)).strip() for v in values]
    code = "-".join([base, *parts])[:60]
    candidate, n = code, 2
    # A code someone already gave another product: the variant gets the next free one.
    while session.scalar(select(Product.id).where(Product.code == candidate, Product.deleted_at.is_(None))):
        candidate, n = f"{code[:56]}-{n}", n + 1
    return candidate


def generate_variants(kernel: Kernel, session: Session, actor: Actor, product_id: int,
                      value_ids: Sequence[int]) -> Generated:
    """Keep ``value_ids`` as the product's options and add one variant per combination of one
    value of each chosen attribute that the product does not have yet (a variant in the recycle
    bin counts as existing: restore it rather than get a second one). Each new variant is a
    product of its own, saved through the forms' path (permission, rules, history, events),
    starting with the product's code, price, unit, group, tax flag and commissions."""
    res = kernel.resources["finance.product"]
    product = get_record(kernel, session, actor, res, product_id, "edit")
    if product.parent_id is not None:
        raise InputError("A variant cannot have variants of its own")
    groups = _values(session, value_ids)
    session.query(ProductOption).filter(ProductOption.product_id == product.id).delete()
    session.add_all(ProductOption(product_id=product.id, value_id=v.id) for _, vs in groups for v in vs)
    if not groups:
        return Generated([], 0)
    have = set(session.scalars(select(Product.variant_key).where(Product.parent_id == product.id,
                                                                 Product.variant_key.is_not(None))))
    created: list[int] = []
    existing = 0
    for combo in itertools.product(*(vs for _, vs in groups)):
        key = variant_key(combo)
        if key in have:
            existing += 1
            continue
        variant = create_record(kernel, session, actor, res, {
            "name": variant_name(product.name, combo), "code": _variant_code(session, product.code or "", combo),
            "kind": product.kind, "unit": product.unit, "price": product.price, "tax_exempt": product.tax_exempt,
            "group_id": product.group_id, "marketer_commission": product.marketer_commission,
            "agency_commission": product.agency_commission, "parent_id": product.id, "active": True,
        })
        variant.variant_key = key
        have.add(key)
        created.append(variant.id)
    session.flush()
    return Generated(created, existing)


def variants_of(session: Session, product_id: int) -> list[Product]:
    return list(session.scalars(select(Product).where(Product.parent_id == product_id, Product.deleted_at.is_(None))
                                .order_by(Product.sort_key, Product.id)))


def attributes_with_values(session: Session) -> list[tuple[Attribute, list[AttributeValue]]]:
    rows = session.execute(
        select(Attribute, AttributeValue).join(AttributeValue, and_(AttributeValue.attribute_id == Attribute.id,
                                                                    AttributeValue.deleted_at.is_(None)))
        .where(Attribute.deleted_at.is_(None))
        .order_by(Attribute.sequence, Attribute.id, AttributeValue.sequence, AttributeValue.id)).all()
    out: dict[int, tuple[Attribute, list[AttributeValue]]] = {}
    for attribute, value in rows:
        out.setdefault(attribute.id, (attribute, []))[1].append(value)
    return list(out.values())
