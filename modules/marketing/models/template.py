"""Message templates (MKT-02, MKT-03): a body with placeholders such as ``{name}`` or
``{due_date}``, filled for each recipient when a send is queued."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record

CHANNELS = (("sms", "SMS"), ("email", "E-mail"))


class Template(Record, Base):
    __tablename__ = "marketing_template"
    name: Mapped[str] = mapped_column(String(120))
    channel: Mapped[str] = mapped_column(String(10), default="sms", server_default="sms")
    category_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("marketing_category.id"), index=True)
    subject: Mapped[str | None] = mapped_column(String(200))  # e-mail only
    body: Mapped[str] = mapped_column(Text)
