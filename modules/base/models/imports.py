"""Imports (INT-04) of partners and of what other modules declare: one row per uploaded file and one per refused line.

Not business records (no history, no soft delete): the counters change every batch, and a
history row per batch would only be noise.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK, utcnow

# uploaded → queued → reading → running → done | failed
STATUSES = ("uploaded", "queued", "reading", "running", "done", "failed")
MODES = ("skip", "update", "create")


class Import(Base):
    __tablename__ = "base_import"
    __table_args__ = (Index("ix_base_import_user_created", "user_id", "created_at"),)
    id: Mapped[IdPK]
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("kernel_user.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    file_name: Mapped[str] = mapped_column(String(200))
    # What the lines become: the resource of an import target (modules.base.importer.targets).
    resource: Mapped[str] = mapped_column(String(60), default="base.partner", server_default="base.partner")
    # Where the upload is kept under the files folder, and what it is (csv | xlsx).
    stored_name: Mapped[str] = mapped_column(String(200))
    file_format: Mapped[str] = mapped_column(String(5))
    # The file's header row, and the chosen mapping and options, as JSON.
    headers: Mapped[str] = mapped_column(Text, default="[]")
    mapping: Mapped[str] = mapped_column(Text, default="{}")
    mode: Mapped[str] = mapped_column(String(10), default="skip")
    status: Mapped[str] = mapped_column(String(10), default="uploaded")
    # What went wrong with the whole import (the file vanished, the user was removed …).
    error: Mapped[str | None] = mapped_column(Text)
    total: Mapped[int] = mapped_column(Integer, default=0)
    batches: Mapped[int] = mapped_column(Integer, default=0)
    batches_done: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)


class ImportError_(Base):  # the name ImportError is Python's own
    """A line of the file that was not imported: its reasons (message ids with parameters,
    translated when shown) and its cells, for the "fix and re-import" file."""

    __tablename__ = "base_import_error"
    id: Mapped[IdPK]
    import_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_import.id", ondelete="CASCADE"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    # The first reason's message id, readable without decoding ``details``.
    message: Mapped[str] = mapped_column(String(300))
    # [{"column": index or null, "msgid": …, "params": {…}}, …]
    details: Mapped[str] = mapped_column(Text, default="[]")
    cells: Mapped[str] = mapped_column(Text, default="[]")
