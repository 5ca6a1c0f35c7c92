from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, Record


class Draft(Record, Base):
    __tablename__ = "draft_item"
    title: Mapped[str] = mapped_column(String(120))
    search_key: Mapped[str] = mapped_column(String(2000), default="", index=True)
