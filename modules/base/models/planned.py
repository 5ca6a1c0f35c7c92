"""Planned communications (BASE-17): a call, visit, e-mail or SMS to make at a date and time.

Open while ``state`` is "planned" (an overdue plan stays in the work queue); "done" turns it
into a logged communication (``communication_id``), "cancelled" ends it without one.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record

_OPEN = text("state = 'planned' AND deleted_at IS NULL")


class PlannedCommunication(Record, Base):
    __tablename__ = "base_planned_communication"
    # "Mine" in the own/team record scope: plans I made and plans given to me.
    __owner_columns__ = ("owner_id", "user_id")
    # As visible as its partner, except to the user who is to make the call.
    __scope_follows__ = ("partner_id",)
    __scope_spares_mine__ = True
    __table_args__ = (
        # The work queue: a user's open plans by time; partial, so done ones cost it nothing.
        Index("ix_base_planned_communication_open", "user_id", "planned_at", "id",
              sqlite_where=_OPEN, postgresql_where=_OPEN),
        Index("ix_base_planned_communication_partner", "partner_id", "planned_at"),
    )
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"))
    kind: Mapped[str] = mapped_column(String(10), default="call")  # call | visit | email | sms
    subject: Mapped[str] = mapped_column(String(200))
    planned_at: Mapped[dt.datetime]
    # Who is to make it (the work queue's user); the creator when left empty.
    user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id"))
    state: Mapped[str] = mapped_column(String(10), default="planned", server_default="planned")
    outcome: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[dt.datetime | None]
    communication_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_communication.id"))

    def before_save(self) -> None:
        if self.user_id is None:
            self.user_id = self.acting_user_id()
