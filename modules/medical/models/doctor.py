"""Doctors (a base person with an optional login), their specialties, and groups of doctors
(«گروه قلب»): a doctor may be in many groups."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, object_session

from kernel import Base, BigId, Record


class Doctor(Record, Base):
    __tablename__ = "medical_doctor"
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")  # the partner's name, kept on save
    user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id"), index=True)
    specialties: Mapped[str | None] = mapped_column(String(300))
    slot_minutes: Mapped[int] = mapped_column(Integer, default=15, server_default="15")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")

    def before_save(self) -> None:
        from modules.base.models import Partner

        session = object_session(self)
        if session is not None and self.partner_id:
            with session.no_autoflush:
                name = session.scalar(select(Partner.name).where(Partner.id == self.partner_id))
            self.name = (name or self.name or "")[:200]


class DoctorGroup(Record, Base):
    __tablename__ = "medical_doctor_group"
    name: Mapped[str] = mapped_column(String(120), unique=True)


class GroupMember(Record, Base):
    __tablename__ = "medical_group_member"
    __table_args__ = (UniqueConstraint("group_id", "doctor_id", name="uq_medical_group_member"),)
    group_id: Mapped[int] = mapped_column(BigId, ForeignKey("medical_doctor_group.id"), index=True)
    doctor_id: Mapped[int] = mapped_column(BigId, ForeignKey("medical_doctor.id"), index=True)
