"""SMS panel accounts (MKT-02): which adapter speaks to the panel, where, with which key and
sender line, how fast. An administrator adds them; one is the default. The adapters themselves
are declared through ``register_marketing_sms_panels`` (``modules.marketing.panels``)."""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, Record


class Panel(Record, Base):
    __tablename__ = "marketing_panel"
    name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(40))  # a PanelKind.key: "kavenegar", "smsir", "ippanel", …
    # The panel's documented API root; a test or a demo points it at the local fake panel.
    base_url: Mapped[str] = mapped_column(String(300))
    api_key: Mapped[str | None] = mapped_column(String(300))
    username: Mapped[str | None] = mapped_column(String(120))
    password: Mapped[str | None] = mapped_column(String(200))
    sender: Mapped[str] = mapped_column(String(30))  # the line messages are sent from, e.g. 3000xxxx
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    per_second: Mapped[int] = mapped_column(Integer, default=10, server_default="10")  # the panel's rate limit
    batch_size: Mapped[int] = mapped_column(Integer, default=100, server_default="100")
    # The secret part of the URL the panel calls with delivery reports and inbound messages.
    webhook_token: Mapped[str | None] = mapped_column(String(64), unique=True)
