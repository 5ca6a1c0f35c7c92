"""Personnel of companies and the career line of persons (BASE-03, BASE-04).

A promotion or a move never edits a position: it ends the current Employment row and starts a
new one, so communications logged earlier (which point at the old row and carry its frozen
``contact_position``) keep saying what the person was then.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import Actor, InputError, NotFound, PermissionDenied, RecordChanged
from kernel.persian.collation import sort_key
from kernel.records import get_record
from modules.base.models import Employment, Partner

if TYPE_CHECKING:
    from kernel.kernel import Kernel


def current_jobs(session: Session, person_id: int) -> list[Employment]:
    """The person's open positions (no end date), newest first."""
    return list(session.scalars(select(Employment).where(
        Employment.person_id == person_id, Employment.ended_on.is_(None), Employment.deleted_at.is_(None),
    ).order_by(Employment.id.desc())))


def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def change_position(session: Session, actor: Actor, person_id: int, company_id: int, position: str | None,
                    department: str | None, is_liaison: bool, on_date: dt.date, *,
                    kernel: Kernel | None = None) -> Employment:
    """End the person's current position on ``on_date`` and start the new one on that day.

    A promotion inside the same company ends the open row(s) there; a move to another company
    ends every open row of the person (they left). With ``kernel`` given, the person and the
    company must lie in the actor's record scope (routes always pass it); without it the
    caller has loaded them already (imports, jobs).
    """
    if not actor.can("base.employment.create"):
        raise PermissionDenied("base.employment.create")
    if kernel is not None:
        partners = kernel.resources["base.partner"]
        person = get_record(kernel, session, actor, partners, person_id)
        company = get_record(kernel, session, actor, partners, company_id)
    else:
        person, company = session.get(Partner, person_id), session.get(Partner, company_id)
        if person is None or company is None or person.deleted_at or company.deleted_at:
            raise NotFound("base.partner")
    if person.kind != "person":
        raise InputError("Only a person can hold a position")
    if company.kind != "company":
        raise InputError("A position is held at a company")
    position, department = _clean(position), _clean(department)
    if not position:
        raise InputError("Enter the position")
    open_rows = current_jobs(session, person_id)
    here = [job for job in open_rows if job.company_id == company_id]
    ending = here or open_rows
    for job in ending:
        if job.started_on is not None and on_date < job.started_on:
            raise InputError("The new position cannot start before the current one did")
    for job in ending:
        job.ended_on = on_date
    new = Employment(person_id=person_id, company_id=company_id, position=position, department=department,
                     is_liaison=bool(is_liaison), started_on=on_date)
    session.add(new)
    session.flush()
    if kernel is not None:
        for job in ending:
            kernel.emit(RecordChanged("base.employment", job.id, "update"), session)
        kernel.emit(RecordChanged("base.employment", new.id, "create"), session)
    return new


def _order(rows: list[Any]) -> list[Any]:
    """Career order: by start date (undated first, as the oldest), then as entered."""
    return sorted(rows, key=lambda r: (r[0].started_on or dt.date.min, r[0].id))


def personnel(kernel: Kernel, session: Session, actor: Actor, company_id: int) -> tuple[list[Any], list[Any]]:
    """(current, former) positions at a company with the person of each, in one query.

    Each item is ``(Employment, person_name)``; the scope of the actor applies to the rows.
    """
    stmt = (kernel.scoped_select(actor, Employment).add_columns(Partner.name)
            .join(Partner, Partner.id == Employment.person_id)
            .where(Employment.company_id == company_id, Partner.deleted_at.is_(None)))
    rows = [tuple(r) for r in session.execute(stmt).all()]
    current = [r for r in rows if r[0].ended_on is None]
    # The liaison first, then the others in Persian alphabetical order of their names.
    current.sort(key=lambda r: (not r[0].is_liaison, sort_key(r[1]), r[0].id))
    former = sorted((r for r in rows if r[0].ended_on is not None),
                    key=lambda r: (r[0].ended_on, r[0].id), reverse=True)
    return current, former


def career(kernel: Kernel, session: Session, actor: Actor, person_id: int) -> list[Any]:
    """Every position the person held, oldest first: ``(Employment, company_name)``, one query."""
    stmt = (kernel.scoped_select(actor, Employment).add_columns(Partner.name)
            .join(Partner, Partner.id == Employment.company_id)
            .where(Employment.person_id == person_id))
    return _order([tuple(r) for r in session.execute(stmt).all()])
