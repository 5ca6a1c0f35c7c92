"""Follow-up of proformas (FIN-05, the F4 form): who follows a proforma up, each note with its
date and writer, and the next date, which rings as a kernel reminder for the follow-up owner.
Cancelling a proforma takes a reason from a list the administrator keeps."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK, Record
from kernel.db import utcnow


class CancelReason(Record, Base):
    """A reason to cancel a proforma ("the customer bought elsewhere"), chosen from a list."""

    __tablename__ = "finance_cancel_reason"
    name: Mapped[str] = mapped_column(String(200))
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


class FollowUp(Base):
    """One entry of a proforma's follow-up. Like the lines it belongs to its proforma: no page,
    scope or recycle bin of its own; it is seen on the proforma's page, as far as the proforma is.
    The latest entry is the current state (owner, next date); the earlier ones are its history."""

    __tablename__ = "finance_follow_up"
    __table_args__ = (Index("ix_finance_follow_up_doc", "proforma_id", "id"),)
    id: Mapped[IdPK]
    proforma_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_proforma.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)  # UTC, when it was written
    # Who wrote it and who follows the proforma up from now on.
    user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id", ondelete="RESTRICT"))
    assignee_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id", ondelete="RESTRICT"),
                                                    index=True)
    note: Mapped[str | None] = mapped_column(Text)
    next_at: Mapped[dt.datetime | None]  # UTC
    # The kernel reminder that rings next_at for the assignee (no key: reminders link by name).
    reminder_id: Mapped[int | None] = mapped_column(BigInteger)
    # Set on the entry that cancelled the proforma.
    cancel_reason: Mapped[str | None] = mapped_column(String(300))
