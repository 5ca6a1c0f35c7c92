"""Writing parsed lines as partners in the caller's transaction: duplicates found by indexed
look-ups and handled as the mapping says (skip, update, create), roles and extra numbers added,
and the line that the database refuses found and reported while the others still go in."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kernel import Actor, Conflict, InputError, RecordChanged
from kernel.db import number_new_rows
from kernel.persian.textnorm import to_ascii_digits, to_persian_digits
from kernel.records import outside_scope
from modules.base.importer.mapping import Mapping
from modules.base.importer.rows import ParsedRow, RowParser
from modules.base.models import Contact, Partner, PartnerRole
from modules.base.models.partner import refresh_contact_numbers

if TYPE_CHECKING:
    from kernel.kernel import Kernel

CONFLICT = "This record conflicts with an existing one (a unique value is repeated)"
OUTSIDE = "This would put the record outside the records you may see"


@dataclass
class Result:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: list[ParsedRow] = field(default_factory=list)

    def add(self, other: Result) -> None:
        self.created += other.created
        self.updated += other.updated
        self.skipped += other.skipped
        self.failed += other.failed


def import_rows(kernel: Kernel, session: Session, actor: Actor, mapping: Mapping,
                rows: Iterable[tuple[int, list[str]]]) -> Result:
    """Parse and write lines in the caller's transaction; failed lines come back with reasons.

    The batch is written in one flush; when the database refuses it (a rule checked only at
    save time), the batch is written again line by line, each in a savepoint, to find the line.
    """
    parser = RowParser(kernel, session, mapping)
    parsed = [parser.parse(line, cells) for line, cells in rows]
    good = [p for p in parsed if p.ok]
    result = Result(failed=[p for p in parsed if not p.ok])
    try:
        with session.begin_nested():
            result.add(_write(kernel, session, actor, mapping, good, number=True))
        return result
    except (InputError, Conflict, IntegrityError):
        pass
    for row in good:
        try:
            with session.begin_nested():
                result.add(_write(kernel, session, actor, mapping, [row]))
        except (InputError, Conflict) as exc:
            row.errors.append((None, InputError(exc.msgid, **exc.params)))
            result.failed.append(row)
        except IntegrityError:
            row.errors.append((None, InputError(CONFLICT)))
            result.failed.append(row)
    result.failed.sort(key=lambda r: r.line)
    return result


def _existing(session: Session, rows: list[ParsedRow]) -> dict[tuple[str, str], int]:
    """Live partners that share a national ID, economic code or mobile with the lines: three
    indexed equality look-ups (the mobile also among contact numbers).

    Only the IN condition is given to the database, so the planner takes that column's index;
    with "not deleted" and an ORDER BY beside it SQLite may walk the whole table instead.
    """
    wanted: dict[str, set[str]] = {"nid": set(), "eco": set(), "mob": set()}
    for row in rows:
        for kind, value in row.keys():
            wanted[kind].add(value)
    found: dict[tuple[str, str], int] = {}

    def keep(kind: str, pairs: Iterable[Any]) -> None:
        for pid, value, deleted in sorted(pairs, key=lambda r: r[0]):
            if deleted is None and value is not None:
                found.setdefault((kind, to_ascii_digits(str(value))), pid)

    p = Partner
    if wanted["nid"]:
        keep("nid", session.execute(select(p.id, p.national_id, p.deleted_at).where(p.national_id.in_(wanted["nid"]))))
    if wanted["eco"]:
        # Stored as typed, so an economic code may have been saved with Persian digits.
        variants = wanted["eco"] | {to_persian_digits(v) for v in wanted["eco"]}
        keep("eco", session.execute(select(p.id, p.economic_code, p.deleted_at).where(p.economic_code.in_(variants))))
    if wanted["mob"]:
        keep("mob", session.execute(select(p.id, p.mobile, p.deleted_at).where(p.mobile.in_(wanted["mob"]))))
        numbers = session.execute(select(Contact.partner_id, Contact.value, Contact.deleted_at)
                                  .where(Contact.value.in_(wanted["mob"]))).all()
        if numbers:
            live = set(session.scalars(select(p.id).where(p.id.in_({n[0] for n in numbers}), p.deleted_at.is_(None))))
            keep("mob", [n for n in numbers if n[0] in live])
    return found


def _within_scope(kernel: Kernel, session: Session, actor: Actor,
                  found: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """Only the matches the importing user may see count as duplicates. A line whose mobile or
    ID belongs to a partner outside the scope goes in as a new partner, as it would if that one
    did not exist: saying "skipped" or "exists, you may not edit it" told a user limited to
    Isfahan who the customers of Tehran are. The administrator's duplicates page shows the pair
    for merging."""
    hidden = outside_scope(kernel, session, actor, kernel.resources["base.partner"], list(set(found.values())))
    return {key: pid for key, pid in found.items() if pid not in hidden}


def _refuse_outside_scope(kernel: Kernel, session: Session, actor: Actor, objs: list[Partner]) -> None:
    """A line that would land outside the importing user's scope (a Tehran partner, or one
    without a province, imported by a user limited to Isfahan) is refused, as the form refuses
    it: in a batch this sends the import line by line, and the line carries the message."""
    if outside_scope(kernel, session, actor, kernel.resources["base.partner"], [o.id for o in objs]):
        raise InputError(OUTSIDE)


def _only_other_kind(kernel: Kernel, kind: str) -> set[str]:
    """Fields that belong only to sections of the other kind (a company's economic code)."""
    res = kernel.resources["base.partner"]
    mine = {n for s in res.sections if s.applies({"kind": kind}) for n in s.fields}
    return {n for s in res.sections for n in s.fields} - mine


def _write(kernel: Kernel, session: Session, actor: Actor, mapping: Mapping, rows: list[ParsedRow],
           number: bool = False) -> Result:
    result = Result()
    existing = _within_scope(kernel, session, actor, _existing(session, rows)) if mapping.mode != "create" else {}
    editable: dict[int, Partner] = {}
    if mapping.mode == "update" and existing:
        ids = {existing[k] for row in rows for k in row.keys() if k in existing}
        stmt = kernel.scoped_select(actor, Partner, "edit").where(Partner.id.in_(ids))
        editable = {p.id: p for p in session.scalars(stmt)}
    # Every form field given, empty ones as None: rows with the same columns then go in by one
    # multi-row statement instead of one INSERT each.
    blank = dict.fromkeys(kernel.resources["base.partner"].form)
    seen: dict[tuple[str, str], Partner] = {}  # partners of this batch, by key
    created: list[tuple[Partner, ParsedRow]] = []
    changed: list[tuple[Partner, ParsedRow]] = []
    for row in rows:
        keys = row.keys() if mapping.mode != "create" else []
        obj = next((seen[k] for k in keys if k in seen), None)
        match = next((existing[k] for k in keys if k in existing), None)
        if obj is None and match is None:
            obj = Partner(**{**blank, **row.values})
            session.add(obj)
            created.append((obj, row))
            result.created += 1
        elif mapping.mode == "skip":
            result.skipped += 1
            continue
        else:
            obj = obj or editable.get(match or 0)
            if obj is None:
                row.errors.append((None, InputError("A partner with the same mobile or ID exists and you may not edit it")))
                result.failed.append(row)
                continue
            skip = _only_other_kind(kernel, obj.kind) | {"kind"}
            for name, value in row.values.items():
                if value is not None and name not in skip:
                    setattr(obj, name, value)
            changed.append((obj, row))
            result.updated += 1
        for key in keys:
            seen.setdefault(key, obj)
    if number and len(created) > 1 and session.get_bind().dialect.name in ("sqlite", "postgresql"):
        number_new_rows(session, Partner, [obj for obj, _ in created])
    session.flush()
    _refuse_outside_scope(kernel, session, actor, [o for o, _ in (*created, *changed)])
    _roles_and_contacts(session, [*created, *changed], fresh={id(o) for o, _ in created})
    for obj, _ in created:
        kernel.emit(RecordChanged("base.partner", obj.id, "create"), session)
    for obj in {id(o): o for o, _ in changed if o.id not in {c.id for c, _ in created}}.values():
        kernel.emit(RecordChanged("base.partner", obj.id, "update"), session)
    return result


def _roles_and_contacts(session: Session, pairs: list[tuple[Partner, ParsedRow]], fresh: set[int]) -> None:
    old_ids = {o.id for o, _ in pairs if id(o) not in fresh}
    have_roles: set[tuple[int, str]] = set()
    have_numbers: set[tuple[int, str]] = set()
    if old_ids:
        have_roles = {(p, r) for p, r in session.execute(
            select(PartnerRole.partner_id, PartnerRole.role).where(PartnerRole.partner_id.in_(old_ids)))}
        have_numbers = {(p, v) for p, v in session.execute(
            select(Contact.partner_id, Contact.value).where(Contact.partner_id.in_(old_ids),
                                                             Contact.deleted_at.is_(None)))}
    had_numbers = {p for p, _ in have_numbers}
    roles: list[dict[str, Any]] = []
    contacts: list[Contact] = []
    for obj, row in pairs:
        for role in row.roles:
            if (obj.id, role) not in have_roles:
                have_roles.add((obj.id, role))
                roles.append({"partner_id": obj.id, "role": role})
        for kind, number in row.contacts:
            if (obj.id, number) not in have_numbers and number not in (obj.mobile, obj.phone, obj.fax):
                have_numbers.add((obj.id, number))
                contacts.append(Contact(partner_id=obj.id, kind=kind, value=number))
    if roles:
        session.execute(insert(PartnerRole), roles)
    if contacts:
        session.add_all(contacts)
        session.flush()
        # Each new contact saw only the saved ones and itself while the batch was flushed: a
        # partner with several new ones, or with older ones, gets them all folded in now.
        by_id = {o.id: o for o, _ in pairs}
        added = Counter(c.partner_id for c in contacts)
        stale = [pid for pid, n in added.items() if n > 1 or pid in had_numbers]
        for pid in stale:
            refresh_contact_numbers(session, by_id[pid])
        if stale:
            session.flush()
