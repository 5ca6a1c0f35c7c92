"""Geographic scope of a role (KER-06): a role limited to some provinces sees only partners,
and everything linked to them, in those provinces."""

from __future__ import annotations

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId


class RoleProvince(Base):
    __tablename__ = "base_role_province"
    role_id: Mapped[int] = mapped_column(BigId, ForeignKey("kernel_role.id", ondelete="CASCADE"), primary_key=True)
    province_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_province.id", ondelete="CASCADE"),
                                             primary_key=True)
