"""Our price beside each competitor's, per product (FIN-02): what the comparison page shows.

Rows are read through the actor's record scope: a competitor the user may not see (another
province's) is left out, with its prices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import Actor
from modules.base.models import Partner
from modules.finance.models import CompetitorPrice, Product

if TYPE_CHECKING:
    from kernel.kernel import Kernel


@dataclass
class Offer:
    competitor_id: int
    competitor: str
    product: str
    price: int
    observed_on: object
    difference: int  # their price minus ours: negative when they are cheaper


@dataclass
class Comparison:
    product_id: int
    name: str
    code: str | None
    our_price: int
    offers: list[Offer] = field(default_factory=list)

    @property
    def cheapest_competitor(self) -> Offer | None:
        return min(self.offers, key=lambda o: o.price) if self.offers else None


def comparison(kernel: Kernel, session: Session, actor: Actor, product_id: int | None = None,
               limit: int = 200) -> list[Comparison]:
    """Each product with competitor prices: our base price and each competitor's latest price."""
    stmt = (kernel.scoped_select(actor, CompetitorPrice)
            .where(CompetitorPrice.deleted_at.is_(None))
            .order_by(CompetitorPrice.product_id, CompetitorPrice.competitor_id,
                      CompetitorPrice.observed_on.desc(), CompetitorPrice.id.desc()))
    if product_id is not None:
        stmt = stmt.where(CompetitorPrice.product_id == product_id)
    latest: dict[tuple[int, int], CompetitorPrice] = {}
    for row in session.scalars(stmt):
        latest.setdefault((row.product_id, row.competitor_id), row)
    product_ids = sorted({p for p, _ in latest})
    if not product_ids:
        return []
    products = {p.id: p for p in session.scalars(
        kernel.scoped_select(actor, Product).where(Product.id.in_(product_ids), Product.deleted_at.is_(None))
        .order_by(Product.sort_key, Product.id).limit(limit))}
    names = {pid: name for pid, name in session.execute(
        select(Partner.id, Partner.name).where(Partner.id.in_({c for _, c in latest})))}
    out: dict[int, Comparison] = {}
    for p in products.values():
        out[p.id] = Comparison(p.id, p.name, p.code, p.price)
    for (pid, cid), row in latest.items():
        if pid in out:
            out[pid].offers.append(Offer(cid, names.get(cid, ""), row.competitor_product, row.price, row.observed_on,
                                         row.price - out[pid].our_price))
    for c in out.values():
        c.offers.sort(key=lambda o: (o.price, o.competitor))
    return [out[p.id] for p in products.values()]
