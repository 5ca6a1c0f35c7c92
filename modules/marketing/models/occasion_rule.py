"""Occasion messages (MKT-06): "on <occasion>, send <text> to <whom>". The occasion is a
person's birthday or wedding anniversary (their Jalali month and day, every year), Nowruz, or
any occasion of the kernel's occasions table by its key (Eid al-Fitr, Ghadir, Christmas, Yalda …).
A religious occasion reaches only the persons of its religion and sect (``occasions.matching``).
Each day the occasions job makes a batch per rule whose day has come: pending until a user with
the approve permission approves it, or queued at once when the rule sends without approval."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record

BIRTHDAY, MARRIAGE, NOWRUZ = "birthday", "marriage", "nowruz"
PERSONAL = (BIRTHDAY, MARRIAGE)


class OccasionRule(Record, Base):
    __tablename__ = "marketing_occasion_rule"
    name: Mapped[str] = mapped_column(String(120))
    # "birthday", "marriage", "nowruz", or the key of an occasion of kernel_occasion ("ghadir").
    occasion: Mapped[str] = mapped_column(String(60))
    # Days before the occasion the batch is made (0: on the day; -2: two days after it).
    days_before: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    send_hour: Mapped[int] = mapped_column(Integer, default=9, server_default="9")  # local hour, 0–23
    category_id: Mapped[int] = mapped_column(BigId, ForeignKey("marketing_category.id"))
    template_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("marketing_template.id"))
    body: Mapped[str | None] = mapped_column(Text)  # the text, when no template is chosen
    # The partner list's filters narrowing the recipients ("f_group=3"), as in its URL; empty: all.
    query: Mapped[str | None] = mapped_column(String(1000))
    auto_send: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
