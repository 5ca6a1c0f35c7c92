"""The unit price of a product for a partner, a quantity and a day (FIN-02).

``price_for`` answers a :class:`Quote`: the price and the rule that set it, so a document line
can show "from price list «عمده‌فروشان», more than 10 units".

Which price applies:

1. Among the price lists that are active, valid on that day (``valid_from`` ≤ day ≤
   ``valid_to``, an empty end is open) and have an item for the product, the most specific
   wins: a list for **this partner**, then for one of the partner's **groups** (the partner's
   group or a group above it; a nearer group beats a farther one), then for one of the
   partner's **roles**, then a list for **everyone** (no partner, group or role). Between lists
   of the same level the **most recent** wins: the later ``valid_from`` (an open start is
   oldest), then the later created list.
2. No list applies: the product's **base price**.
3. Then the quantity tiers of what was chosen (the list item's, or the product's for the base
   price): the tier with the highest "more than N units" below the quantity sets the unit
   price (FAQ 18: 10 units at 10,000 Rials each, 11 at 9,000 each).

Only live rows count (soft-deleted lists, items and tiers are ignored).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from kernel import InputError, NotFound
from modules.base.models import Partner, PartnerGroup, PartnerRole, RoleKind
from modules.finance.models import PriceList, PriceListItem, PriceTier, Product
from modules.finance.models.scaled import plain
from modules.finance.services.labels import rule_text
from modules.finance.services.trees import ancestors_of

# The levels of a price list, most specific first (lower wins).
PARTNER_LEVEL, GROUP_LEVEL, ROLE_LEVEL, EVERYONE_LEVEL = 0, 1, 2, 3


@dataclass(frozen=True)
class Quote:
    """A unit price in Rials and the rule that set it.

    ``rule_label`` is an English msgid with ``rule_params`` (translate with
    ``kernel.t(lang, quote.rule_label, **quote.rule_params)``); ``rule_ref`` names the record
    that holds the rule, ``"finance.price_list:7"`` or ``"finance.product:12"``.
    """

    unit_price: int
    rule_label: str
    rule_ref: str
    rule_params: dict[str, Any] = field(default_factory=dict)

    def label(self, t: Any, lang: str) -> str:
        """The rule in the reader's language (Persian digits in Persian)."""
        return rule_text(t, lang, self.rule_label, self.rule_params)


@dataclass
class Audience:
    """Who a document is for, as the price lists and the policies judge it."""

    partner_id: int | None
    groups: dict[int, int]  # group id → distance from the partner's own group (0 = its own)
    role_ids: set[int] | None = None  # read only when a list for a role is a candidate


def audience(session: Session, partner_id: int | None) -> Audience:
    """The partner (NotFound when gone) and its groups, nearest first; its roles come later,
    when a price list for a role could apply (:func:`_role_ids`)."""
    if partner_id is None:
        return Audience(None, {}, set())
    partner = session.get(Partner, partner_id)
    if partner is None or partner.deleted_at is not None:
        raise NotFound("Not found")
    chain = ancestors_of(session, PartnerGroup, [partner.group_id]).get(partner.group_id, []) \
        if partner.group_id is not None else []
    return Audience(partner_id, {group: distance for distance, group in enumerate(chain)})


def _role_ids(session: Session, who: Audience) -> set[int]:
    if who.role_ids is None:
        who.role_ids = set(session.scalars(
            select(RoleKind.id).join(PartnerRole, PartnerRole.role == RoleKind.code)
            .where(PartnerRole.partner_id == who.partner_id, RoleKind.deleted_at.is_(None))))
    return who.role_ids


def _rank(pl: PriceList, who: Audience) -> tuple[int, int] | None:
    """(level, distance) of a list for this audience; None when it is not for them."""
    if pl.partner_id is not None:
        return (PARTNER_LEVEL, 0) if pl.partner_id == who.partner_id else None
    if pl.group_id is not None:
        return (GROUP_LEVEL, who.groups[pl.group_id]) if pl.group_id in who.groups else None
    if pl.role_id is not None:
        return (ROLE_LEVEL, 0) if who.role_ids and pl.role_id in who.role_ids else None
    return (EVERYONE_LEVEL, 0)


def best_tier(tiers: list[Any], quantity: Decimal) -> Any:
    """The tier (or policy step) for ``quantity``: the highest "more than N" below it (on a tie
    the later row), as ``ORDER BY above_quantity DESC, id DESC LIMIT 1`` would pick it."""
    found = [t for t in tiers if t.above_quantity < quantity]
    return max(found, key=lambda t: (t.above_quantity, t.id)) if found else None


def positive_quantity(quantity: Decimal | int | str) -> Decimal:
    try:
        value = Decimal(quantity)
    except ArithmeticError:
        raise InputError("Enter a number") from None
    if not value.is_finite() or value <= 0:
        raise InputError("The quantity must be more than zero")
    return value


@dataclass
class PriceBook:
    """The price lists and tiers of a document's products for its customer and day, read once
    for all its lines (three statements, whatever the number of lines) instead of per line."""

    chosen: dict[int, tuple[PriceList, PriceListItem]] = field(default_factory=dict)  # product → its list
    item_tiers: dict[int, list[PriceTier]] = field(default_factory=dict)
    product_tiers: dict[int, list[PriceTier]] = field(default_factory=dict)
    products: set[int] = field(default_factory=set)  # the products it was read for

    def quote(self, product: Product, quantity: Decimal) -> Quote:
        """The unit price of ``quantity`` units of ``product`` (one the book was read for)."""
        qty = positive_quantity(quantity)
        best = self.chosen.get(product.id)
        if best is not None:
            pl, item = best
            tier = best_tier(self.item_tiers.get(item.id, []), qty)
            ref = f"finance.price_list:{pl.id}"
            if tier is not None:
                return Quote(tier.unit_price, "Price list «{name}», more than {n} units", ref,
                             {"name": pl.name, "n": Decimal(plain(tier.above_quantity))})
            return Quote(item.price, "Price list «{name}»", ref, {"name": pl.name})
        tier = best_tier(self.product_tiers.get(product.id, []), qty)
        ref = f"finance.product:{product.id}"
        if tier is not None:
            return Quote(tier.unit_price, "Base price, more than {n} units", ref,
                         {"n": Decimal(plain(tier.above_quantity))})
        return Quote(product.price, "Base price", ref)


# The book's statements, built once: building them costs more CPU than running them (their
# lists are expanding parameters, so the compiled SQL is cached as well).
@cache
def _offers() -> Any:
    on: Any = bindparam("on")
    return (select(PriceList, PriceListItem)
            .join(PriceListItem, PriceListItem.price_list_id == PriceList.id)
            .where(PriceListItem.product_id.in_(bindparam("ids", expanding=True)), PriceListItem.deleted_at.is_(None),
                   PriceList.deleted_at.is_(None), PriceList.active.is_(True),
                   or_(PriceList.valid_from.is_(None), PriceList.valid_from <= on),
                   or_(PriceList.valid_to.is_(None), PriceList.valid_to >= on)))


@cache
def _tiers() -> Any:
    return select(PriceTier).where(PriceTier.deleted_at.is_(None),
                                   or_(PriceTier.item_id.in_(bindparam("items", expanding=True)),
                                       PriceTier.product_id.in_(bindparam("bare", expanding=True))))


def price_book(session: Session, product_ids: Iterable[int], who: Audience, on: dt.date) -> PriceBook:
    """Which list gives each product its price for ``who`` on ``on`` (see the module's rules),
    with the tiers of what was chosen: one statement for the lists, one for the tiers (and one
    for the partner's roles when a list for a role is among the candidates)."""
    ids = set(product_ids)
    book = PriceBook(products=ids)
    if not ids:
        return book
    rows = session.execute(_offers(), {"ids": list(ids), "on": on}).all()
    if who.partner_id is not None and any(pl.role_id is not None for pl, _item in rows):
        _role_ids(session, who)
    keys: dict[int, tuple[Any, ...]] = {}
    for pl, item in rows:
        rank = _rank(pl, who)
        if rank is None:
            continue
        # Lower level and distance win; then the later start, then the later list.
        key = (rank[0], rank[1], -(pl.valid_from.toordinal() if pl.valid_from else 0), -pl.id, -item.id)
        if item.product_id not in keys or key < keys[item.product_id]:
            keys[item.product_id], book.chosen[item.product_id] = key, (pl, item)
    items = {item.id for _pl, item in book.chosen.values()}
    bare = ids - set(book.chosen)
    for tier in session.scalars(_tiers(), {"items": list(items), "bare": list(bare)}):
        if tier.item_id in items:
            book.item_tiers.setdefault(tier.item_id, []).append(tier)
        if tier.product_id in bare:
            book.product_tiers.setdefault(tier.product_id, []).append(tier)
    return book


def price_for(session: Session, product_id: int, partner_id: int | None, quantity: Decimal | int | str,
              on: dt.date) -> Quote:
    """The unit price of ``quantity`` units of a product for a partner (None: anyone) on a day."""
    qty = positive_quantity(quantity)
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound("Not found")
    return price_book(session, [product_id], audience(session, partner_id), on).quote(product, qty)
