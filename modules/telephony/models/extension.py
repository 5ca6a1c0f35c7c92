"""Which user answers which extension of the PBX: a call's user is its extension's user."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record


class Extension(Record, Base):
    __tablename__ = "telephony_extension"
    number: Mapped[str] = mapped_column(String(10), index=True)
    user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id"), index=True)
    label: Mapped[str | None] = mapped_column(String(80))
