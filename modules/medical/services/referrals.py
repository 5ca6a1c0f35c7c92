"""Referrals (MED-03): an alarm to the referred doctor's user (or every user of the group's
doctors) when a referral is written, and the open referrals a calendar shows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, or_, select, true
from sqlalchemy.orm import Session

from kernel import raise_alarm
from modules.base.models import Partner
from modules.medical.models import Doctor, GroupMember, Referral


def target_doctors(session: Session, referral: Referral) -> list[Doctor]:
    if referral.doctor_id:
        doctor = session.get(Doctor, referral.doctor_id)
        return [doctor] if doctor is not None else []
    return list(session.scalars(select(Doctor).join(GroupMember, GroupMember.doctor_id == Doctor.id).where(
        GroupMember.group_id == referral.group_id, GroupMember.deleted_at.is_(None), Doctor.deleted_at.is_(None))))


def alarm_doctors(kernel: Any, session: Session, referral_id: int) -> int:
    referral = session.get(Referral, referral_id)
    if referral is None:
        return 0
    patient = session.get(Partner, referral.patient_id)
    users = sorted({d.user_id for d in target_doctors(session, referral) if d.user_id})
    for user_id in users:
        raise_alarm(session, user_id=user_id, title=patient.name if patient else "",
                    link=("medical.referral", referral.id), kind="referral")
    return len(users)


def open_for(kernel: Any, session: Session, actor: Any, doctor_ids: list[int], group_id: int | None) -> list[Any]:
    """Open referrals to these doctors, to a group any of them is in, or to the group shown:
    (referral, patient name) pairs, oldest first. The reader sees those their record scope
    allows and, whatever their scope, those addressed to them as a doctor (to their doctor row or
    to one of its groups): a doctor with the own scope sees what the desk referred to them."""
    groups = select(GroupMember.group_id).where(GroupMember.doctor_id.in_(doctor_ids),
                                                GroupMember.deleted_at.is_(None))
    conds: list[Any] = [Referral.doctor_id.in_(doctor_ids), Referral.group_id.in_(groups)]
    if group_id:
        conds.append(Referral.group_id == group_id)
    mine = select(Doctor.id).where(Doctor.user_id == actor.user_id, Doctor.deleted_at.is_(None))
    addressed = or_(Referral.doctor_id.in_(mine), Referral.group_id.in_(
        select(GroupMember.group_id).where(GroupMember.doctor_id.in_(mine), GroupMember.deleted_at.is_(None))))
    allowed = and_(true(), *kernel.record_conditions(actor, Referral, "view"))
    stmt = (select(Referral).where(Referral.deleted_at.is_(None), Referral.state == "open", or_(*conds),
                                   or_(allowed, addressed) if actor.user_id else allowed)
            .order_by(Referral.id).limit(50))
    rows = list(session.scalars(stmt))
    names = dict(session.execute(select(Partner.id, Partner.name).where(
        Partner.id.in_({r.patient_id for r in rows}))).all()) if rows else {}
    return [(r, names.get(r.patient_id, "")) for r in rows]
