import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Money, Record


class Note(Record, Base):
    __tablename__ = "notes_note"
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[Money | None]
    due: Mapped[dt.date | None]
    phone: Mapped[str | None] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10), default="plain")
    province_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_province.id"))
    search_key: Mapped[str] = mapped_column(String(2000), default="", index=True)
