"""Send categories (MKT-04): greeting, advertising, payment reminder, condolence … Every message
and letter names one; the report counts messages, cost and responses per category and month.
An advertising category honours the partners' opt-outs (an SMS «لغو۱۱» reply, the per-partner
flag); the others (a payment reminder, an appointment) are service messages and do not."""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, Record


class Category(Record, Base):
    __tablename__ = "marketing_category"
    name: Mapped[str] = mapped_column(String(80), unique=True)
    advertising: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    sequence: Mapped[int] = mapped_column(Integer, default=100, server_default="100")
