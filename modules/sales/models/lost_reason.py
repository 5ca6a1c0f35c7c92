"""Why deals are lost (SAL-05's won/lost reasons): a short list the sales manager keeps."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, Record


class LostReason(Record, Base):
    __tablename__ = "sales_lost_reason"
    name: Mapped[str] = mapped_column(String(120), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=100)
