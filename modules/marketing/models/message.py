"""One message to one recipient (the message log, MKT-02/03/04): what was sent to whom, through
which panel, in how many parts, its state as it moves (queued → sent → delivered or failed; or
skipped, with the reason: an opt-out, a company, no mobile) and its cost.

Not a ``Record``: the log grows by millions of rows written only by the module's services, each
state change is a column of its own row (``sent_at``, ``delivered_at``), and a history row per
change would double the writes of a bulk send."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK, utcnow

MESSAGE_STATES = (("pending", "Batch awaiting approval"),  # an occasion batch before its approval (MKT-06)
                  ("queued", "Queued"), ("sending", "Sending"), ("sent", "Sent"), ("delivered", "Delivered"),
                  ("failed", "Failed"), ("skipped", "Not sent"))


class Message(Base):
    __tablename__ = "marketing_message"
    # As visible as its partner (kernel.scope_follows): a user limited to their own customers
    # reads only their messages in the log; a message of a range with no partner, every reader.
    __scope_follows__ = ("partner_id",)
    __table_args__ = (
        Index("ix_marketing_message_partner", "partner_id", "id"),
        # The category report's months; the log's category filter, newest first, has its own.
        Index("ix_marketing_message_category_created", "category_id", "created_at", "id"),
        Index("ix_marketing_message_category_id", "category_id", "id"),
        Index("ix_marketing_message_send_state", "send_id", "state"),
        # A delivery report names the panel's own id.
        Index("ix_marketing_message_provider", "panel_id", "provider_id"),
    )
    id: Mapped[IdPK]
    send_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("marketing_send.id"))
    channel: Mapped[str] = mapped_column(String(10), default="sms", server_default="sms")
    category_id: Mapped[int] = mapped_column(BigId, ForeignKey("marketing_category.id"))
    partner_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"))
    address: Mapped[str] = mapped_column(String(254))  # a canonical mobile (+98…) or an e-mail address
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    parts: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    state: Mapped[str] = mapped_column(String(10), default="queued", server_default="queued")
    skip_reason: Mapped[str | None] = mapped_column(String(200))
    panel_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("marketing_panel.id"))
    provider_id: Mapped[str | None] = mapped_column(String(64))
    cost: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")  # Rials
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]
    delivered_at: Mapped[dt.datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id"))
    # The communication on the partner's timeline (BASE-10) that shows this message.
    communication_id: Mapped[int | None] = mapped_column(BigId)
