"""Every partner with every field, its roles and its other numbers, as one xlsx that the
importer reads back (INT-04 "export everything"). Same permission and scope as the list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kernel import Actor, records
from kernel.records import ListQuery
from kernel.web.resource_views import titles_for
from modules.base.importer.mapping import EXTRA_LABELS, EXTRA_NUMBERS, FULL_NAME, PARTNER, ROLES
from modules.base.models import Contact, PartnerRole, RoleKind

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from kernel.kernel import Kernel

BATCH = 1000
MAX_ROWS = 1_000_000  # an xlsx sheet holds 1,048,576 rows
SEP = "، "


def columns(kernel: Kernel) -> list[str]:
    """The partner form's fields (the name first as "full name or company name"), then roles
    and other numbers."""
    res = kernel.resources[PARTNER]
    return [*res.form, ROLES, EXTRA_NUMBERS]


def headers(kernel: Kernel, lang: str) -> list[str]:
    res = kernel.resources[PARTNER]
    out = []
    for name in columns(kernel):
        label = EXTRA_LABELS[FULL_NAME] if name == "name" else EXTRA_LABELS.get(name) or res.field(name).label
        out.append(kernel.t(lang, label))
    return out


def rows(kernel: Kernel, session: Session, actor: Actor, lang: str, q: ListQuery) -> Iterator[list[Any]]:
    """Keyset batches of the actor's partners (``export`` scope), so memory stays flat."""
    res = kernel.resources[PARTNER]
    cols = columns(kernel)
    role_names = {code: name for code, name in session.execute(select(RoleKind.code, RoleKind.name))}
    q.limit, q.count, q.sort = BATCH, False, "id"
    q.after = q.before = ""
    sent = 0
    while sent < MAX_ROWS:
        page = records.list_records(kernel, session, actor, res, q, action="export")
        ids = [p.id for p in page.items]
        wanted: dict[str, set[int]] = {}
        for name in cols:
            f = res.all_fields.get(name)
            if f is not None and f.kind == "ref" and f.ref:
                wanted.setdefault(f.ref, set()).update(getattr(p, name) for p in page.items if getattr(p, name))
        titles = titles_for(kernel, session, wanted)
        roles: dict[int, list[str]] = {}
        for pid, role in session.execute(select(PartnerRole.partner_id, PartnerRole.role)
                                         .where(PartnerRole.partner_id.in_(ids)).order_by(PartnerRole.role)):
            roles.setdefault(pid, []).append(role_names.get(role, role))
        numbers: dict[int, list[str]] = {}
        for pid, value in session.execute(select(Contact.partner_id, Contact.value).where(
                Contact.partner_id.in_(ids), Contact.deleted_at.is_(None), Contact.kind != "email").order_by(Contact.id)):
            numbers.setdefault(pid, []).append(res.field("mobile").form_value(value, lang))
        for p in page.items:
            out: list[Any] = []
            for name in cols:
                if name == ROLES:
                    out.append(SEP.join(roles.get(p.id, [])))
                elif name == EXTRA_NUMBERS:
                    out.append(SEP.join(numbers.get(p.id, [])))
                else:
                    out.append(_cell(kernel, res.field(name), getattr(p, name), lang, titles))
            yield out
            sent += 1
        if not page.next_cursor:
            break
        q.after = page.next_cursor


def _cell(kernel: Kernel, f: Any, value: Any, lang: str, titles: dict[tuple[str, int], str]) -> Any:
    if value is None:
        return None
    if f.kind == "ref":
        return titles.get((f.ref, value), "")
    if f.kind == "choice":
        return kernel.t(lang, dict(f.choices).get(value, str(value)))
    if f.kind in ("int", "money"):
        return int(value)
    # As an edit form shows it, so the importer parses it back unchanged (Jalali dates,
    # "0912 123 4567", the ID with its leading zeros as text).
    return f.form_value(value, lang, kernel.config.timezone)
