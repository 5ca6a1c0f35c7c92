"""A device the service reads: a PBX's SMDR port, a caller-ID modem or an Asterisk manager interface,
configured by an administrator."""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, Record


class Device(Record, Base):
    __tablename__ = "telephony_device"
    name: Mapped[str] = mapped_column(String(80))
    driver: Mapped[str] = mapped_column(String(40))  # a DriverKind key (register_telephony_drivers)
    # /dev/ttyUSB0, /dev/pts/3, socket://192.168.1.20:2300, rfc2217://…: anything pyserial opens.
    port: Mapped[str] = mapped_column(String(300))
    baud_rate: Mapped[int] = mapped_column(Integer, default=9600, server_default="9600")
    parity: Mapped[str] = mapped_column(String(1), default="N", server_default="N")
    data_bits: Mapped[int] = mapped_column(Integer, default=8, server_default="8")
    stop_bits: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # A network link's login (Asterisk's manager.conf user). The secret is set on its own page and
    # never shown back: it is in no form, list, export or API answer (modules/telephony/routes/ami_secret.py).
    username: Mapped[str | None] = mapped_column(String(80))
    secret: Mapped[str | None] = mapped_column(String(200))
