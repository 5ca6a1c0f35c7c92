"""Several roles per partner at once (BASE-05): which roles exist and which a partner holds."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kernel import Actor, InputError, RecordChanged
from kernel.records import get_record
from modules.base.choices import DEFAULT_ROLES
from modules.base.models import PartnerRole, RoleKind

if TYPE_CHECKING:
    from kernel.kernel import Kernel


def role_choices(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the roles an organisation uses, in their configured order.

    Until someone configures roles (an empty ``base_role_kind``), the built-in list applies;
    its names are message ids, the configured ones are shown as typed.
    """
    rows = session.execute(select(RoleKind.code, RoleKind.name).where(RoleKind.deleted_at.is_(None))
                           .order_by(RoleKind.sequence, RoleKind.id)).all()
    return [(code, name) for code, name in rows] if rows else list(DEFAULT_ROLES)


def roles_of(session: Session, partner_id: int) -> list[str]:
    return list(session.scalars(select(PartnerRole.role).where(PartnerRole.partner_id == partner_id)
                                .order_by(PartnerRole.role)))


def set_roles(kernel: Kernel, session: Session, actor: Actor, partner_id: int, codes: Iterable[str]) -> list[str]:
    """Make the partner hold exactly ``codes``; the actor must be allowed to edit it (scope too).

    A code the organisation no longer offers may stay if the partner already holds it (an
    unticked box removes it), but it cannot be added anew.
    """
    res = kernel.resources["base.partner"]
    get_record(kernel, session, actor, res, partner_id, "edit")
    wanted = {c.strip() for c in codes if c and c.strip()}
    have = set(roles_of(session, partner_id))
    known = {code for code, _ in role_choices(session)}
    unknown = wanted - known - have
    if unknown:
        raise InputError("Choose one of the listed values")
    gone, new = have - wanted, wanted - have
    if gone:
        session.execute(delete(PartnerRole).where(PartnerRole.partner_id == partner_id, PartnerRole.role.in_(gone)))
    for code in sorted(new):
        session.add(PartnerRole(partner_id=partner_id, role=code))
    if gone or new:
        session.flush()
        kernel.emit(RecordChanged(res.name, partner_id, "update"), session)
    return sorted(wanted)


def add_role(session: Session, partner_id: int, code: str) -> bool:
    """Give a partner a role if it lacks it (for derived roles, e.g. customer after an invoice)."""
    if session.get(PartnerRole, (partner_id, code)) is not None:
        return False
    session.add(PartnerRole(partner_id=partner_id, role=code))
    session.flush()
    return True


def remove_roles(session: Session, partner_id: int, codes: Iterable[str]) -> int:
    """Take roles away from a partner (for derived roles: a lead that became a customer); how
    many it held. Like :func:`add_role`, no permission check: the caller's rule decides."""
    gone = list(codes)
    if not gone:
        return 0
    result = session.execute(delete(PartnerRole).where(PartnerRole.partner_id == partner_id,
                                                       PartnerRole.role.in_(gone)))
    return int(getattr(result, "rowcount", 0) or 0)
