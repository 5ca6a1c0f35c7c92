"""The catalogue around products (FIN-01): groups as a tree, attributes (brand, model, colour,
size, design) with their values, and which values of each attribute a product comes in.

A product whose variants are generated keeps the values it was generated from in
``finance_product_option``; each variant is a ``finance_product`` row with ``parent_id`` and a
``variant_key`` naming its combination, so generating again adds only what is missing.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column, object_session

from kernel import Base, BigId, InputError, Record, SortKey

ATTRIBUTE_KINDS = (("brand", "Brand"), ("model", "Model"), ("colour", "Colour"), ("size", "Size"),
                   ("design", "Design"), ("other", "Other attribute"))


class ProductGroup(Record, Base):
    """A node of the product group tree (carpets → machine-made → 700 reeds)."""

    __tablename__ = "finance_product_group"
    __table_args__ = (Index("ix_finance_product_group_sort", "sort_key", "id"),)
    name: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_product_group.id"), index=True)
    code: Mapped[str | None] = mapped_column(String(30))
    description: Mapped[str | None] = mapped_column(Text)
    sort_key: Mapped[str] = mapped_column(SortKey, default="")
    search_key: Mapped[str] = mapped_column(String(400), default="")

    def before_save(self) -> None:
        # A group placed under itself or under one of its own subgroups would make a loop.
        session = object_session(self)
        if session is None or self.id is None or self.parent_id is None:
            return
        seen: set[int] = set()
        current: int | None = self.parent_id
        while current is not None and current not in seen:
            if current == self.id:
                raise InputError("A group cannot be placed under itself")
            seen.add(current)
            current = session.scalar(select(ProductGroup.parent_id).where(ProductGroup.id == current))


class Attribute(Record, Base):
    """What products vary by: «رنگ», «اندازه», «طرح», a brand or a model."""

    __tablename__ = "finance_attribute"
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10), default="other", server_default="other")
    # The order of the values in a variant's name: «فرش کاشان — ۹ متری — کرم» is size, then colour.
    sequence: Mapped[int] = mapped_column(Integer, default=100, server_default="100")
    search_key: Mapped[str] = mapped_column(String(400), default="")


class AttributeValue(Record, Base):
    """One value of an attribute («کرم», «۹ متری»); ``code`` goes into a variant's code."""

    __tablename__ = "finance_attribute_value"
    __table_args__ = (Index("ix_finance_attribute_value_attr", "attribute_id", "sequence", "id"),)
    attribute_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_attribute.id"))
    name: Mapped[str] = mapped_column(String(80))
    code: Mapped[str | None] = mapped_column(String(20))
    sequence: Mapped[int] = mapped_column(Integer, default=100, server_default="100")
    search_key: Mapped[str] = mapped_column(String(400), default="")


class ProductOption(Base):
    """A value a product comes in (chosen on its variants page); not a business record."""

    __tablename__ = "finance_product_option"
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_product.id", ondelete="CASCADE"),
                                            primary_key=True)
    value_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_attribute_value.id", ondelete="CASCADE"),
                                          primary_key=True, index=True)
