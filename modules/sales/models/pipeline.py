"""A sales pipeline and its stages (SAL-02): each organisation sets its own steps, and a pipeline
may be kept for one type of customer (companies are sold to differently from people)."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record

OUTCOMES = (("open", "Open"), ("won", "Won"), ("lost", "Lost"))
CUSTOMER_KINDS = (("person", "People"), ("company", "Companies"))


class Pipeline(Record, Base):
    __tablename__ = "sales_pipeline"
    name: Mapped[str] = mapped_column(String(80), unique=True)
    # None: every customer; "person" or "company": the pipeline new opportunities of that kind take.
    customer_kind: Mapped[str | None] = mapped_column(String(10))
    sequence: Mapped[int] = mapped_column(Integer, default=100)


class Stage(Record, Base):
    __tablename__ = "sales_stage"
    __table_args__ = (Index("ix_sales_stage_pipeline", "pipeline_id", "sequence"),)
    pipeline_id: Mapped[int] = mapped_column(BigId, ForeignKey("sales_pipeline.id"))
    name: Mapped[str] = mapped_column(String(80))
    sequence: Mapped[int] = mapped_column(Integer, default=100)
    probability: Mapped[int] = mapped_column(Integer, default=0)  # percent, copied to an opportunity entering it
    outcome: Mapped[str] = mapped_column(String(6), default="open")  # open | won | lost
    # Entering it needs the opportunity approved by a manager (the sales order's approval).
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)
