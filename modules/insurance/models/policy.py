"""A policy (INS-01) sold by an agent (``owner_id``, so the own and team scopes apply) to an
insured person, paid by its holder, from ``starts_on`` to ``ends_on`` (Gregorian dates, shown
Jalali). ``renews_id`` is the policy it renews; the renewed one's state becomes ``renewed``.

``Notice`` is what the daily scan already did: one row per (kind, subject, date) — a renewal
notice for a policy ending on a day, a birthday or wedding anniversary of a person on a day.
Its unique key makes the scan exactly-once on any number of workers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK, Record, utcnow
from modules.finance.models import Invoice  # noqa: F401  (the table its invoice_id points at, in the metadata)

_LIVE = text("deleted_at IS NULL")
_ACTIVE = text("state = 'active' AND deleted_at IS NULL")

STATES = (("active", "Active"), ("cancelled", "Cancelled"), ("expired", "Expired"), ("renewed", "Renewed"))
NOTICE_KINDS = ("renewal", "birthday", "marriage")


class PolicyType(Record, Base):
    __tablename__ = "insurance_policy_type"
    name: Mapped[str] = mapped_column(String(100))
    sequence: Mapped[int] = mapped_column(Integer, default=100)


class Insurer(Record, Base):
    __tablename__ = "insurance_insurer"
    name: Mapped[str] = mapped_column(String(120))
    # The insurance company as a partner (company), when the agency keeps it among its partners.
    partner_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)


class Policy(Record, Base):
    __tablename__ = "insurance_policy"
    __table_args__ = (
        # The daily scan: live active policies by end date, nothing else read.
        Index("ix_insurance_policy_scan", "ends_on", "id", "owner_id", "insured_id",
              sqlite_where=_ACTIVE, postgresql_where=_ACTIVE),
        Index("ix_insurance_policy_ends", "ends_on", "state"),
        Index("ix_insurance_policy_insured", "insured_id", "state"),
        Index("ix_insurance_policy_owner", "owner_id", "ends_on"),
        # A policy is renewed once: a second renewal of the same policy is refused by the database.
        Index("ux_insurance_policy_renews", "renews_id", unique=True, sqlite_where=_LIVE, postgresql_where=_LIVE),
    )
    number: Mapped[str] = mapped_column(String(40), index=True)
    type_id: Mapped[int] = mapped_column(BigId, ForeignKey("insurance_policy_type.id"), index=True)
    insurer_id: Mapped[int] = mapped_column(BigId, ForeignKey("insurance_insurer.id"), index=True)
    insured_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"))
    holder_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    premium: Mapped[int] = mapped_column(BigInteger)  # Rials
    state: Mapped[str] = mapped_column(String(10), default="active", server_default="active", index=True)
    renews_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("insurance_policy.id"))
    invoice_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_invoice.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(String(1000), default="", index=True)


class Notice(Base):
    __tablename__ = "insurance_notice"
    __table_args__ = (UniqueConstraint("kind", "subject_id", "on_date"),)
    id: Mapped[IdPK]
    kind: Mapped[str] = mapped_column(String(10))  # renewal | birthday | marriage
    subject_id: Mapped[int] = mapped_column(BigInteger)  # the policy (renewal) or the person
    on_date: Mapped[dt.date]  # the policy's end, or the day of the birthday / anniversary
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
