"""A group letter's PDF prepared in the background (MKT-05): a big batch (hundreds of letters,
~30 ms a page in WeasyPrint) is rendered by a worker, not in the request, and kept in the files
store for the user who asked — with their record scope, in their language.

Not a ``Record``: a prepared file, made and read by its user only; asking again makes a new one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK, utcnow


class LetterPrint(Base):
    __tablename__ = "marketing_letter_print"
    __table_args__ = (Index("ix_marketing_letter_print_batch_user", "batch", "user_id"),)
    id: Mapped[IdPK]
    batch: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("kernel_user.id"))
    lang: Mapped[str] = mapped_column(String(5))
    state: Mapped[str] = mapped_column(String(10), default="queued", server_default="queued")
    letters: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sha256: Mapped[str | None] = mapped_column(String(64))  # the PDF in the files store
    size: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
