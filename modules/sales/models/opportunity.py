"""An opportunity (SAL-02): a sale being worked, on a stage of its pipeline's board.

``position`` orders the cards of a column (a drag between two cards takes a value between
theirs); ``owner_id`` (from ``Record``) is the salesperson, so the own/team scopes apply.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record, utcnow

_LIVE = text("deleted_at IS NULL")


class Opportunity(Record, Base):
    __tablename__ = "sales_opportunity"
    # Who sees a deal: its owner's scope (own, team, all), and for a role limited to provinces,
    # cities or regions, only deals whose customer is there (modules.sales.scope). It does not
    # follow the customer's owner: a teammate's deal with another team's customer is the team's
    # (the customer is shown unnamed), and a team's board is read by owner alone, by index.
    __table_args__ = (
        # The board: one pipeline's cards per stage in their order, live rows only. Partial on
        # deleted_at, not a column of it: PostgreSQL orders by an index only after equalities, and
        # "IS NULL" is none, so it read and sorted a whole column of a team's deals (bench_sales).
        # owner_id and partner_id ride along so that the scope's tests are made on the index
        # entries: only the 50 cards shown are read from the table, even for one seller's board.
        Index("ix_sales_opportunity_board", "pipeline_id", "stage_id", "position", "id", "owner_id", "partner_id",
              sqlite_where=_LIVE, postgresql_where=_LIVE),
        Index("ix_sales_opportunity_partner", "partner_id", "outcome"),
        Index("ix_sales_opportunity_close", "expected_close"),
        Index("ix_sales_opportunity_lost_reason", "lost_reason_id"),
        Index("ix_sales_opportunity_activity", "owner_id", "outcome", "last_activity_at"),
        # The board's column totals of a seller or a team, answered from the index alone: probes of
        # (stage IN the columns) × (owner IN a literal list) come out in stage order, no sort;
        # partner_id is read by the place scope's test (modules.sales.scope), and deleted_at is
        # there too because SQLite counts an index as covering only if it holds every column named.
        Index("ix_sales_opportunity_owner_totals", "pipeline_id", "outcome", "stage_id", "owner_id",
              "expected_value", "partner_id", "deleted_at", sqlite_where=_LIVE, postgresql_where=_LIVE),
    )
    title: Mapped[str] = mapped_column(String(200))
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"))
    lead_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("sales_lead.id"), index=True)
    pipeline_id: Mapped[int] = mapped_column(BigId, ForeignKey("sales_pipeline.id"))
    stage_id: Mapped[int] = mapped_column(BigId, ForeignKey("sales_stage.id"))
    position: Mapped[float] = mapped_column(Float, default=0.0)
    expected_value: Mapped[int] = mapped_column(BigInteger, default=0)  # Rials
    expected_close: Mapped[dt.date | None]
    probability: Mapped[int] = mapped_column(Integer, default=0)  # percent
    needs: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(6), default="open")  # open | won | lost
    closed_at: Mapped[dt.datetime | None]
    lost_reason_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("sales_lost_reason.id"))
    close_note: Mapped[str | None] = mapped_column(Text)
    approved_at: Mapped[dt.datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id"))
    approval_note: Mapped[str | None] = mapped_column(Text)  # a manager's note when returning it
    # The last time anyone touched it: a move, an edit, a communication, a task on it (SAL-06).
    last_activity_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    search_key: Mapped[str] = mapped_column(String(1000), default="")
