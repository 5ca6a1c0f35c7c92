"""A product or service that documents sell (FIN-01).

One table holds what is sold: a plain product, or a variant of a product (``parent_id`` points
to the product it is built from, e.g. a carpet design in one size and colour), each with its own
code, price and barcode. Document lines always point at a row of this table, so an old invoice
keeps its product even after the product is made inactive.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record, SortKey
from modules.finance.models.scaled import PERCENT

KINDS = (("goods", "Goods"), ("service", "Service"))


class Product(Record, Base):
    __tablename__ = "finance_product"
    __table_args__ = (
        Index("ix_finance_product_sort", "sort_key", "id"),
        Index("ix_finance_product_parent", "parent_id", "id"),
        # -- catalogue (FIN-01): a code is unique among live products; the catalogue's rule says
        # so in Persian first, the index keeps two saves at the same moment from both passing.
        Index("ux_finance_product_code_live", "code", unique=True,
              sqlite_where=text("deleted_at IS NULL AND code IS NOT NULL"),
              postgresql_where=text("deleted_at IS NULL AND code IS NOT NULL")),
        Index("ix_finance_product_variant", "parent_id", "variant_key"),
    )
    name: Mapped[str] = mapped_column(String(200))
    sort_key: Mapped[str] = mapped_column(SortKey, default="")
    # The code people type on a line; unique among live products (checked by the catalogue).
    code: Mapped[str | None] = mapped_column(String(60), index=True)
    barcode: Mapped[str | None] = mapped_column(String(60), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="goods", server_default="goods")
    unit: Mapped[str | None] = mapped_column(String(30))
    # Base price in integer Rials (price lists and policies may change it on a document).
    price: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # Exempt from VAT (and municipal tax): the document charges no tax on its lines.
    tax_exempt: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # A variant's product; None for a product that is sold as it is or is a variant's parent.
    parent_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_product.id"))
    # Inactive products are kept for old documents and hidden from new lines.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    description: Mapped[str | None] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(String(2000), default="")
    # -- catalogue (FIN-01) ------------------------------------------------------------------
    group_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_product_group.id"), index=True)
    # Commissions of a sale of this product, in percent of its price (FAQ 34): kept as basis
    # points, typed as «۲٫۵».
    marketer_commission: Mapped[Decimal | None] = mapped_column(PERCENT)
    agency_commission: Mapped[Decimal | None] = mapped_column(PERCENT)
    # A variant's combination: the ids of its attribute values, ascending, joined by "."; set
    # by the variant generator, which never adds a second variant of the same combination.
    variant_key: Mapped[str | None] = mapped_column(String(200))
