"""The communications log (BASE-10): calls, meetings, e-mails, SMS, letters, visits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, inspect, select, text, update
from sqlalchemy.orm import Mapped, Session, mapped_column, object_session

from kernel import Base, BigId, InputError, Record

_FOLLOW_UP = text("follow_up_on IS NOT NULL AND deleted_at IS NULL")


class Communication(Record, Base):
    __tablename__ = "base_communication"
    __table_args__ = (
        # Province first, then only live rows, in time order: the grid by province and month.
        Index("ix_base_communication_province_live_started", "province_id", "deleted_at", "started_at", "id"),
        Index("ix_base_communication_partner_started", "partner_id", "started_at"),
        Index("ix_base_communication_started", "started_at", "id"),
        Index("ix_base_communication_link", "link_resource", "link_id"),
        # A user's follow-ups by date (the work queue, "follow-ups due"): only rows that have one.
        # Without it the queue read all of a user's ~60,000 communications and sorted them (149 ms).
        Index("ix_base_communication_owner_follow_up", "owner_id", "follow_up_on", "id",
              sqlite_where=_FOLLOW_UP, postgresql_where=_FOLLOW_UP),
        # "My latest communications" (dashboard block): 145 → 40 ms on SQLite at 3M rows.
        Index("ix_base_communication_owner_started", "owner_id", "started_at", "id"),
    )
    kind: Mapped[str] = mapped_column(String(10), index=True)  # call | meeting | email | sms | letter | visit | fax
    direction: Mapped[str] = mapped_column(String(3), default="out")  # in | out
    subject: Mapped[str] = mapped_column(String(200))
    result: Mapped[str | None] = mapped_column(Text)
    # When it happened, typed by the user: it may be days ago (back-dated).
    started_at: Mapped[dt.datetime]
    ended_at: Mapped[dt.datetime | None]
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"))
    contact_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    # The contact's position at that moment, kept so a later promotion does not rewrite history.
    employment_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_employment.id"))
    contact_position: Mapped[str | None] = mapped_column(String(250))
    follow_up_no: Mapped[str | None] = mapped_column(String(30))
    follow_up_on: Mapped[dt.date | None] = mapped_column(index=True)
    # A generic link to any record of any module (a task, an invoice, a ticket).
    link_resource: Mapped[str | None] = mapped_column(String(80))
    link_id: Mapped[int | None] = mapped_column(BigInteger)
    # Copied from the partner, so "communications in Isfahan this month" is one index range.
    province_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_province.id"))
    search_key: Mapped[str] = mapped_column(String(2000), default="")

    def before_save(self) -> None:
        session = object_session(self)
        if session is None:
            return
        from modules.base.models.partner import Employment, Partner

        partner = session.get(Partner, self.partner_id)
        if partner is None:
            return
        self.province_id = partner.province_id
        if self.ended_at is not None and self.ended_at < self.started_at:
            raise InputError("The end is before the start")
        if not inspect(self).pending and inspect(self).attrs.contact_id.history.has_changes():
            # Another contact person (or none): the position frozen for the old one no longer holds.
            self.employment_id = None
            self.contact_position = None
        if self.contact_id is not None and self.employment_id is None:
            # Freeze the contact's position as it is now (BASE-04): a later promotion leaves it.
            company_id = partner.id if partner.kind == "company" else None
            stmt = select(Employment).where(Employment.person_id == self.contact_id,
                                            Employment.deleted_at.is_(None), Employment.ended_on.is_(None))
            if company_id is not None:
                stmt = stmt.where(Employment.company_id == company_id)
            job = session.scalars(stmt.order_by(Employment.id.desc())).first()
            if job is not None:
                company = session.get(Partner, job.company_id)
                self.employment_id = job.id
                self.contact_position = " — ".join(p for p in (job.position, job.department,
                                                                company.name if company else None) if p)


def follow_partner_province(session: Session, partner_id: int) -> int:
    """A partner moved to another province takes its communications along: their province column
    (copied for the province scope's index) follows the partner, so a user limited to the old
    province no longer reads, exports or edits them, and one limited to the new one does."""
    from modules.base.models.partner import Partner

    province = select(Partner.province_id).where(Partner.id == partner_id).scalar_subquery()
    stmt = (update(Communication).where(Communication.partner_id == partner_id,
                                        Communication.province_id.is_distinct_from(province))
            .values(province_id=province).execution_options(synchronize_session=False))
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]
