"""Relations between partners (BASE-16), read from either side, for the profile and for later
modules (a clinic's companions and guardians, a school's parents): :func:`relations_of`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_, select, true
from sqlalchemy.orm import Session

from kernel import InputError
from kernel.records import FormErrors
from modules.base.choices import DEFAULT_RELATIONS
from modules.base.models import Partner, Relation, RelationKind


@dataclass(frozen=True)
class Kind:
    """A relation kind: ``name`` is what ``other`` is to ``partner``, ``reverse_name`` the way
    back (parent ↔ child). Built-in names are message ids; configured ones are shown as typed."""

    code: str
    name: str
    reverse_name: str
    persons_only: bool = True

    @property
    def symmetric(self) -> bool:
        return self.name == self.reverse_name


@dataclass(frozen=True)
class Related:
    """One relation as seen from one partner: ``label`` is what ``other`` is to them."""

    relation_id: int
    kind: str
    label: str
    other_id: int
    other_name: str
    other_kind: str
    notes: str


def relation_kinds(session: Session) -> list[Kind]:
    """The configured kinds in their order, or the built-in ones while none is configured."""
    rows = session.scalars(select(RelationKind).where(RelationKind.deleted_at.is_(None))
                           .order_by(RelationKind.sequence, RelationKind.id)).all()
    if rows:
        return [Kind(r.code, r.name, r.reverse_name, bool(r.persons_only)) for r in rows]
    return [Kind(*k) for k in DEFAULT_RELATIONS]


def _inverse_codes(kinds: list[Kind], kind: Kind) -> set[str]:
    """Kinds that say the same thing from the other side: parent seen from the child is child."""
    return {k.code for k in kinds if (k.name, k.reverse_name) == (kind.reverse_name, kind.name)}


def kind_choices(session: Session) -> list[tuple[str, str]]:
    return [(k.code, k.name) for k in relation_kinds(session)]


def relations_of(session: Session, partner_id: int, kind: str | None = None) -> list[Related]:
    """Every live relation of a partner, from its side, optionally of one kind as seen from it
    (``kind="parent"`` finds its parents however they were recorded). No record scope applies:
    a caller that shows them to a user filters the other partners by that user's scope."""
    kinds = relation_kinds(session)
    by_code = {k.code: k for k in kinds}
    forward: list[str] | None = None
    backward: list[str] | None = None
    if kind is not None:
        wanted = by_code.get(kind)
        forward = [kind]
        backward = sorted(_inverse_codes(kinds, wanted)) if wanted else []
    mine = and_(Relation.partner_id == partner_id, Relation.kind.in_(forward) if forward is not None else true())
    theirs = and_(Relation.other_id == partner_id, Relation.kind.in_(backward) if backward is not None else true())
    rows = session.execute(select(Relation, Partner).join(Partner, or_(
        and_(Relation.partner_id == partner_id, Partner.id == Relation.other_id),
        and_(Relation.other_id == partner_id, Partner.id == Relation.partner_id)))
        .where(Relation.deleted_at.is_(None), Partner.deleted_at.is_(None), or_(mine, theirs))
        .order_by(Relation.id)).all()
    out: list[Related] = []
    for rel, other in rows:
        k = by_code.get(rel.kind, Kind(rel.kind, rel.kind, rel.kind))
        if rel.partner_id == partner_id:
            label, code = k.name, rel.kind
        else:
            inverse = sorted(_inverse_codes(kinds, k))
            label, code = k.reverse_name, inverse[0] if inverse else rel.kind
        out.append(Related(rel.id, code, label, other.id, other.name, other.kind, rel.notes or ""))
    return out


def check_relation(session: Session, rel: Relation) -> None:
    """Refuse a relation to oneself, a company in a persons-only relation, and a repeat."""
    if rel.partner_id == rel.other_id:
        raise FormErrors({"other_id": InputError("A person cannot be related to themselves")})
    kinds = relation_kinds(session)
    kind = next((k for k in kinds if k.code == rel.kind), None)
    if kind is None:
        raise FormErrors({"kind": InputError("Choose one of the listed values")})
    if kind.persons_only:
        companies = session.scalars(select(Partner.id).where(Partner.id.in_((rel.partner_id, rel.other_id)),
                                                             Partner.kind == "company")).all()
        if companies:
            field = "partner_id" if rel.partner_id in companies else "other_id"
            raise FormErrors({field: InputError("A company cannot hold this relation; it is only between persons")})
    backward = _inverse_codes(kinds, kind) | {kind.code}
    same = select(Relation.id).where(Relation.deleted_at.is_(None), or_(
        and_(Relation.partner_id == rel.partner_id, Relation.other_id == rel.other_id, Relation.kind == kind.code),
        and_(Relation.partner_id == rel.other_id, Relation.other_id == rel.partner_id, Relation.kind.in_(backward))))
    if rel.id is not None:
        same = same.where(Relation.id != rel.id)
    if session.scalars(same.limit(1)).first() is not None:
        raise FormErrors({"other_id": InputError("This relation is already recorded")})
