"""Geographic scope of a role (KER-06): a role limited to some provinces, cities and/or regions
(districts) sees only partners there, and everything linked to them.

Three small link tables rather than one polymorphic one, so each keeps a real foreign key and
deleting a city drops it from every role's scope."""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId


class RoleProvince(Base):
    __tablename__ = "base_role_province"
    # Decides which provinces, cities and regions a role's drop-downs offer: pages keep those
    # between requests (kernel.memo), so a change here must reach every process at once.
    __memo_watched__ = True
    role_id: Mapped[int] = mapped_column(BigId, ForeignKey("kernel_role.id", ondelete="CASCADE"), primary_key=True)
    province_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_province.id", ondelete="CASCADE"),
                                             primary_key=True)


class RoleCity(Base):
    __tablename__ = "base_role_city"
    __memo_watched__ = True
    role_id: Mapped[int] = mapped_column(BigId, ForeignKey("kernel_role.id", ondelete="CASCADE"), primary_key=True)
    city_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_city.id", ondelete="CASCADE"), primary_key=True)


class RoleRegion(Base):
    __tablename__ = "base_role_region"
    __memo_watched__ = True
    role_id: Mapped[int] = mapped_column(BigId, ForeignKey("kernel_role.id", ondelete="CASCADE"), primary_key=True)
    region_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_region.id", ondelete="CASCADE"),
                                           primary_key=True)
