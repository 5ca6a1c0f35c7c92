"""Merging two duplicate partners (BASE-12): everything that points at the dropped one moves to
the kept one, the kept one's empty fields are filled, and the dropped one goes to the recycle bin.

The links are found from the schema (``kernel.metadata``), not listed here: every foreign key of
an enabled module's table that points at ``base_partner.id`` moves, and so does every generic link
(a ``link_resource``/``link_id`` pair of columns holding ``"base.partner"``), so invoices, tasks or
tickets of modules written later follow without a change to this file. Listeners of
:class:`modules.base.events.PartnersMerged` move what the schema cannot show.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Table,
    UniqueConstraint,
    and_,
    delete,
    exists,
    false,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapper, Session

from kernel.actor import Actor
from kernel.db import Base, Record, utcnow
from kernel.errors import InputError, NotFound, PermissionDenied
from kernel.events import RecordChanged, RecordDeleted
from kernel.models import History
from modules.base.events import PartnersMerged
from modules.base.models import Contact, Partner
from modules.base.models.partner import refresh_contact_numbers
from modules.base.services.relations import before_merge

if TYPE_CHECKING:
    from kernel.kernel import Kernel

PERMISSION = "base.partner.merge"
# Never copied from the dropped partner: identity, audit columns and derived keys.
_NOT_COPIED = {"id", "kind", "name", "created_at", "updated_at", "created_by_id", "updated_by_id", "owner_id",
               "deleted_at", "search_key", "sort_key", "contact_numbers"}
# The partner's own numbers that become contact rows of the kept partner when they differ.
_NUMBERS = (("mobile", "mobile"), ("phone", "phone"), ("fax", "fax"), ("email", "email"))
_CHUNK = 500


@dataclass(frozen=True)
class Link:
    """One foreign-key column that points at ``base_partner.id``."""

    table: Table
    column: Column[Any]
    label: str  # a msgid: the resource's plural label, or the table's name made readable
    column_label: str = ""  # a msgid naming the column when the table has several links

    @property
    def key(self) -> str:
        return f"{self.table.name}.{self.column.name}"


@dataclass
class MergeResult:
    keep_id: int
    drop_id: int
    moved: dict[str, int] = field(default_factory=dict)  # "table.column" → rows now on keep
    skipped: dict[str, int] = field(default_factory=dict)  # rows keep already had (unique key)
    filled: list[str] = field(default_factory=list)  # keep's empty fields taken from drop
    contacts_added: list[str] = field(default_factory=list)  # drop's numbers added as contact rows


def partner_links(kernel: Kernel) -> list[Link]:
    """Every foreign key to ``base_partner.id`` in the tables of enabled modules."""
    partner = Partner.__table__
    prefixes = kernel.table_prefixes()
    out: list[Link] = []
    for table in kernel.metadata.sorted_tables:
        if not table.name.startswith(prefixes):
            continue
        res = kernel.resource_for_table(table.name)
        cols = [fk.parent for fk in table.foreign_keys
                if fk.column.table is partner and fk.column.name == "id" and fk.parent.table is table]
        # A table without a resource (partner roles) is named from its table: "Partner role".
        label = res.label_plural if res else table.name.split("_", 1)[-1].replace("_", " ").capitalize()
        for col in sorted(cols, key=lambda c: c.name):
            f = res.all_fields.get(col.name) if res else None
            out.append(Link(table, col, label, f.label if f is not None and len(cols) > 1 else ""))
    return out


def link_counts(kernel: Kernel, session: Session, partner_id: int) -> list[tuple[Link, int]]:
    """How many rows of each link point at the partner (soft-deleted rows too: they move as well)."""
    out = []
    for link in partner_links(kernel):
        count = session.scalar(select(func.count()).select_from(link.table).where(link.column == partner_id)) or 0
        if count:
            out.append((link, count))
    return out


def load_pair(kernel: Kernel, session: Session, actor: Actor, keep_id: int, drop_id: int) -> tuple[Partner, Partner]:
    """Both partners, checked for a merge: allowed, visible to the actor, distinct, same kind."""
    if not actor.can(PERMISSION):
        raise PermissionDenied(PERMISSION)
    if keep_id == drop_id:
        raise InputError("A partner cannot be merged into itself")
    found: dict[int, Partner] = {p.id: p for p in session.scalars(
        kernel.scoped_select(actor, Partner, "edit").where(Partner.id.in_((keep_id, drop_id))))}
    if keep_id not in found or drop_id not in found:
        raise NotFound("base.partner")
    keep, drop = found[keep_id], found[drop_id]
    if keep.kind != drop.kind:
        raise InputError("A person cannot be merged with a company")
    return keep, drop


def merge_partners(kernel: Kernel, session: Session, actor: Actor, keep_id: int, drop_id: int) -> MergeResult:
    """Merge ``drop`` into ``keep`` in the caller's transaction; nothing is committed here."""
    keep, drop = load_pair(kernel, session, actor, keep_id, drop_id)
    result = MergeResult(keep_id, drop_id)
    before = {c: getattr(drop, c) for c in _copyable()}
    # Keep's empty fields are filled first, so that rows moving over copy keep's final values
    # (a communication takes its partner's province for the province scope).
    for name, value in before.items():
        if _empty(getattr(keep, name)) and not _empty(value):
            setattr(keep, name, value)
            result.filled.append(name)
    # Base's own relations between the two (or held by both) are settled first (BASE-16).
    before_merge(session, keep_id, drop_id)
    session.flush()
    for link in partner_links(kernel):
        moved, skipped = _move(session, link, keep_id, drop_id)
        if moved:
            result.moved[link.key] = moved
        if skipped:
            result.skipped[link.key] = skipped
    for table in generic_link_tables(kernel):
        moved = _move_generic(session, table, keep_id, drop_id)
        if moved:
            result.moved[f"{table.name}.link_id"] = moved
    session.flush()
    # Contact rows fold into their partner's searchable numbers one at a time as they are saved;
    # after a batch moved, both partners are refolded from the rows as they now are (drop's
    # here, so its one history entry below is the delete; keep's once its new rows are in).
    refresh_contact_numbers(session, drop)
    with session.no_autoflush:  # one flush below, so drop's history has one entry: the delete
        have = set(session.scalars(select(Contact.value).where(Contact.partner_id == keep_id,
                                                               Contact.deleted_at.is_(None))))
    for attr, kind in _NUMBERS:
        value = before.get(attr)
        if _empty(value) or value == getattr(keep, attr) or value in have:
            continue
        session.add(Contact(partner_id=keep_id, kind=kind, value=value))
        have.add(str(value))
        result.contacts_added.append(str(value))
    drop.deleted_at = utcnow()
    session.flush()
    refresh_contact_numbers(session, keep)
    session.flush()
    _merge_history(session, actor, keep, drop, result)
    kernel.emit(RecordChanged("base.partner", keep_id, "update"), session)
    kernel.emit(RecordChanged("base.partner", drop_id, "delete"), session)
    kernel.emit(RecordDeleted("base.partner", drop_id), session)
    kernel.emit(PartnersMerged(keep_id, drop_id), session)
    return result


GENERIC_LINK = ("link_resource", "link_id")


def generic_link_tables(kernel: Kernel) -> list[Table]:
    """Tables of enabled modules with a generic link (``link_resource``, ``link_id``): a task
    or a communication about any record, a partner among them."""
    prefixes = kernel.table_prefixes()
    return [t for t in kernel.metadata.sorted_tables
            if t.name.startswith(prefixes) and all(c in t.c for c in GENERIC_LINK)]


def _move_generic(session: Session, table: Table, keep_id: int, drop_id: int) -> int:
    """Point drop's generic links at keep: business records through the ORM (history, as in
    :func:`_move`), other tables with one UPDATE."""
    of_drop = and_(table.c.link_resource == "base.partner", table.c.link_id == drop_id)
    mapper = _mapper_for(table)
    if mapper is not None and issubclass(mapper.class_, Record):
        key = mapper.get_property_by_column(table.c.link_id).key
        objs = list(session.scalars(select(mapper.class_).where(of_drop)))
        for obj in objs:
            setattr(obj, key, keep_id)
        session.flush()
        return len(objs)
    moved = session.execute(update(table).where(of_drop).values(link_id=keep_id)
                            .execution_options(synchronize_session=False)).rowcount or 0  # type: ignore[attr-defined]
    session.expire_all()
    return int(moved)


def _copyable() -> list[str]:
    mapper: Mapper[Any] = Partner.__mapper__
    return [a.key for a in mapper.column_attrs if a.key not in _NOT_COPIED]


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _unique_keys(table: Table, column: Column[Any]) -> list[list[Column[Any]]]:
    """The other columns of each primary key or unique constraint/index that includes ``column``."""
    sets: list[Iterable[Column[Any]]] = [table.primary_key.columns]
    sets += [c.columns for c in table.constraints if isinstance(c, UniqueConstraint)]
    sets += [ix.columns for ix in table.indexes if ix.unique]
    out = []
    for cols in sets:
        cols = list(cols)
        if any(c is column for c in cols):
            out.append([c for c in cols if c is not column])
    return out


def _collides(link: Link, keep_id: int) -> ColumnElement[bool]:
    """True for a row of drop whose twin (same unique key) already points at keep."""
    conds = []
    for others in _unique_keys(link.table, link.column):
        twin = link.table.alias()
        conds.append(exists().where(twin.c[link.column.name] == keep_id,
                                    *(twin.c[c.name] == c for c in others)))
    return or_(*conds) if conds else false()


def _mapper_for(table: Table) -> Mapper[Any] | None:
    for mapper in Base.registry.mappers:
        if mapper.local_table is table:
            return mapper
    return None


def _move(session: Session, link: Link, keep_id: int, drop_id: int) -> tuple[int, int]:
    """Point drop's rows of one link at keep; rows whose unique key keep already has stay out."""
    table, col = link.table, link.column
    of_drop = col == drop_id
    if table is Partner.__table__:
        of_drop = and_(of_drop, table.c.id.notin_((keep_id, drop_id)))
    colliding = _collides(link, keep_id)
    skipped = session.scalar(select(func.count()).select_from(table).where(of_drop, colliding)) or 0
    mapper = _mapper_for(table)
    if mapper is not None and issubclass(mapper.class_, Record):
        # Business records move through the ORM, one loaded row at a time: the kernel then
        # writes each row's history ("partner: A → B", by this user, now), stamps updated_by,
        # and runs the model's before_save (a communication re-copies its partner's province
        # for the province scope). A bulk UPDATE would be faster but would leave no trail and
        # skip those rules; a merge is rare and the rows of one partner are few enough.
        # A row whose unique key keep already has stays with drop (in the recycle bin with it):
        # business records are never deleted here.
        key = mapper.get_property_by_column(col).key
        ids = list(session.scalars(select(table.c.id).where(of_drop, ~colliding).order_by(table.c.id)))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            for obj in session.scalars(select(mapper.class_).where(mapper.class_.id.in_(chunk))):
                setattr(obj, key, keep_id)
            session.flush()
        return len(ids), skipped
    # Link tables without history of their own (partner roles: a composite primary key) move
    # with one UPDATE; the roles keep already holds are the union's overlap and are removed from
    # drop, so the dropped partner holds nothing that would block emptying the recycle bin.
    # What moved is written into the merge's history entry on keep (see _merge_history).
    moved = session.execute(update(table).where(of_drop, ~colliding).values({col.name: keep_id})
                            .execution_options(synchronize_session=False)).rowcount or 0  # type: ignore[attr-defined]
    if skipped:
        session.execute(delete(table).where(of_drop).execution_options(synchronize_session=False))
    session.expire_all()
    return moved, skipped


def _merge_history(session: Session, actor: Actor, keep: Partner, drop: Partner, result: MergeResult) -> None:
    """One "merge" entry on each partner, beside the per-row entries the ORM wrote: keep's says
    where everything came from and how many rows of each table moved (link tables included)."""
    uid = getattr(actor, "user_id", None) or None
    now = utcnow()
    moved = ", ".join(f"{key} ({n})" for key, n in result.moved.items())
    rows = [
        {"Merged from": [None, f"#{drop.id} {drop.name}"], "Moved records": [None, moved or None],
         "Filled from the merged partner": [None, ", ".join(result.filled) or None],
         "Numbers added as contact rows": [None, ", ".join(result.contacts_added) or None]},
        {"Merged into": [None, f"#{keep.id} {keep.name}"]},
    ]
    session.execute(insert(History), [
        {"table_name": Partner.__tablename__, "record_id": pid, "action": "merge", "user_id": uid, "at": now,
         "changes": json.dumps({k: v for k, v in changes.items() if v[1] is not None}, ensure_ascii=False)}
        for pid, changes in ((keep.id, rows[0]), (drop.id, rows[1]))
    ])
