"""The board's kept column totals: count and expected value of the live deals per (pipeline,
stage, owner, outcome), as rows of changes that the database's own triggers append whenever a
deal is created, moved, re-valued, given to another owner, won, lost, deleted or restored —
whatever wrote it (a form, the board, an import, a migration's UPDATE).

Rows are only ever inserted by the triggers (never updated), so two sellers moving deals at the
same moment never wait on one another or deadlock on a shared total; a job folds each key's rows
into one (:mod:`modules.sales.services.board_totals`). A team's board then sums a few rows per
(stage, owner) instead of reading each of the team's deals (32,600 index entries, 8 ms on
PostgreSQL at 200,000 deals)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK


class BoardTotal(Base):
    __tablename__ = "sales_board_total"
    __table_args__ = (
        Index("ix_sales_board_total_key", "pipeline_id", "outcome", "stage_id", "owner_id", "n", "total"),
    )
    id: Mapped[IdPK]
    pipeline_id: Mapped[int] = mapped_column(BigId)
    stage_id: Mapped[int] = mapped_column(BigId)
    owner_id: Mapped[int] = mapped_column(BigId)  # 0: a deal with no owner
    outcome: Mapped[str] = mapped_column(String(6))
    n: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(BigInteger)
