"""Each product's quantity on hand and weighted-average cost (FIN-14, FAQ 4), and the moves
they are computed from.

``finance_stock_move`` is the history: one row per posted purchase line (quantity in, at its
net cost) and per issued invoice line (quantity out, at the average of that moment). A voided
purchase or invoice cancels its moves, and the product's average is replayed from the moves
left, in their order: the one exact way back (the average is rounded to a whole Rial at every
step, so no formula undoes a step exactly). ``finance_product_cost`` keeps the result.

The seam for inventory (issue 15): only :mod:`modules.finance.services.average_cost` writes
these two tables; warehouses will add their own moves there.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK
from modules.finance.models.document_base import Quantity


class ProductCost(Base):
    __tablename__ = "finance_product_cost"
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_product.id", ondelete="CASCADE"),
                                            primary_key=True)
    on_hand: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))
    avg_cost: Mapped[int] = mapped_column(BigInteger, default=0)  # whole Rials per unit
    # Purchase lines counted (not cancelled): none means the cost is unknown, not zero.
    purchases: Mapped[int] = mapped_column(BigInteger, default=0)


class StockMove(Base):
    __tablename__ = "finance_stock_move"
    __table_args__ = (Index("ix_finance_stock_move_product", "product_id", "id"),
                      Index("ix_finance_stock_move_source", "source", "source_id"))
    id: Mapped[IdPK]
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_product.id", ondelete="CASCADE"))
    on: Mapped[dt.date]
    quantity: Mapped[Decimal] = mapped_column(Quantity)  # in: positive, out: negative
    amount: Mapped[int] = mapped_column(BigInteger, default=0)  # a purchase line's net cost in Rials
    source: Mapped[str] = mapped_column(String(12))  # "purchase" or "sale"
    source_id: Mapped[int] = mapped_column(BigInteger)  # the purchase or the invoice
    line_id: Mapped[int] = mapped_column(BigInteger)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
