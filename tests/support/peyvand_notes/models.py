import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Money, Record


class Note(Record, Base):
    __tablename__ = "notes_note"
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[Money | None] = mapped_column(index=True)
    due: Mapped[dt.date | None] = mapped_column(index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10), default="plain", index=True)
    province_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_province.id"), index=True)
    search_key: Mapped[str] = mapped_column(String(2000), default="", index=True)
