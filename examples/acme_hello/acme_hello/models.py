"""Tables of acme_hello: every name starts with the module's name."""

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, Money, Record


class Greeting(Record, Base):
    """A greeting to send to someone: ``Record`` adds id, audit columns, owner and soft delete."""

    __tablename__ = "acme_hello_greeting"

    recipient: Mapped[str] = mapped_column(String(120))
    message: Mapped[str | None] = mapped_column(Text)
    # A plain date in storage; forms, lists and the PDF show it as a Jalali date.
    send_on: Mapped[dt.date | None]
    # Money is an integer number of Rials (BigInteger), never a float.
    gift_amount: Mapped[Money | None]
    # Set by the approve route only (readonly in the form), guarded by acme_hello.greeting.approve.
    approved: Mapped[bool] = mapped_column(default=False)
    # Normalised text of the `search` fields of the resource, kept up to date by the kernel.
    search_key: Mapped[str] = mapped_column(String(2000), default="", index=True)
