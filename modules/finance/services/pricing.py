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
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kernel import InputError, NotFound
from modules.base.models import Partner, PartnerGroup, PartnerRole, RoleKind
from modules.finance.models import PriceList, PriceListItem, PriceTier, Product
from modules.finance.models.scaled import plain
from modules.finance.services.labels import rule_text
from modules.finance.services.trees import ancestors

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


@dataclass(frozen=True)
class _Audience:
    partner_id: int | None
    groups: dict[int, int]  # group id → distance from the partner's own group (0 = its own)
    role_ids: set[int]


def _audience(session: Session, partner_id: int | None) -> _Audience:
    if partner_id is None:
        return _Audience(None, {}, set())
    partner = session.get(Partner, partner_id)
    if partner is None or partner.deleted_at is not None:
        raise NotFound("Not found")
    groups = {group: distance for distance, group in enumerate(ancestors(session, PartnerGroup, partner.group_id))}
    roles = set(session.scalars(select(RoleKind.id).join(PartnerRole, PartnerRole.role == RoleKind.code)
                                .where(PartnerRole.partner_id == partner_id, RoleKind.deleted_at.is_(None))))
    return _Audience(partner_id, groups, roles)


def _rank(pl: PriceList, who: _Audience) -> tuple[int, int] | None:
    """(level, distance) of a list for this audience; None when it is not for them."""
    if pl.partner_id is not None:
        return (PARTNER_LEVEL, 0) if pl.partner_id == who.partner_id else None
    if pl.group_id is not None:
        return (GROUP_LEVEL, who.groups[pl.group_id]) if pl.group_id in who.groups else None
    if pl.role_id is not None:
        return (ROLE_LEVEL, 0) if pl.role_id in who.role_ids else None
    return (EVERYONE_LEVEL, 0)


def _tier(session: Session, quantity: Decimal, *, item_id: int | None = None,
          product_id: int | None = None) -> PriceTier | None:
    col = PriceTier.item_id if item_id is not None else PriceTier.product_id
    stmt = (select(PriceTier).where(col == (item_id if item_id is not None else product_id),
                                    PriceTier.deleted_at.is_(None), PriceTier.above_quantity < quantity)
            .order_by(PriceTier.above_quantity.desc(), PriceTier.id.desc()).limit(1))
    return session.scalars(stmt).first()


def positive_quantity(quantity: Decimal | int | str) -> Decimal:
    try:
        value = Decimal(quantity)
    except ArithmeticError:
        raise InputError("Enter a number") from None
    if not value.is_finite() or value <= 0:
        raise InputError("The quantity must be more than zero")
    return value


def price_for(session: Session, product_id: int, partner_id: int | None, quantity: Decimal | int | str,
              on: dt.date) -> Quote:
    """The unit price of ``quantity`` units of a product for a partner (None: anyone) on a day."""
    qty = positive_quantity(quantity)
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound("Not found")
    who = _audience(session, partner_id)
    rows = session.execute(
        select(PriceList, PriceListItem)
        .join(PriceListItem, PriceListItem.price_list_id == PriceList.id)
        .where(PriceListItem.product_id == product_id, PriceListItem.deleted_at.is_(None),
               PriceList.deleted_at.is_(None), PriceList.active.is_(True),
               or_(PriceList.valid_from.is_(None), PriceList.valid_from <= on),
               or_(PriceList.valid_to.is_(None), PriceList.valid_to >= on))).all()
    best: tuple[Any, ...] | None = None
    for pl, item in rows:
        rank = _rank(pl, who)
        if rank is None:
            continue
        # Lower level and distance win; then the later start, then the later list.
        key = (rank[0], rank[1], -(pl.valid_from.toordinal() if pl.valid_from else 0), -pl.id, -item.id)
        if best is None or key < best[0]:
            best = (key, pl, item)
    if best is not None:
        _, pl, item = best
        tier = _tier(session, qty, item_id=item.id)
        ref = f"finance.price_list:{pl.id}"
        if tier is not None:
            return Quote(tier.unit_price, "Price list «{name}», more than {n} units", ref,
                         {"name": pl.name, "n": Decimal(plain(tier.above_quantity))})
        return Quote(item.price, "Price list «{name}»", ref, {"name": pl.name})
    tier = _tier(session, qty, product_id=product.id)
    ref = f"finance.product:{product.id}"
    if tier is not None:
        return Quote(tier.unit_price, "Base price, more than {n} units", ref, {"n": Decimal(plain(tier.above_quantity))})
    return Quote(product.price, "Base price", ref)
