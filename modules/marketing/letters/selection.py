"""Whom a group letter or a label sheet goes to: a partner list's filters (``q``, ``f_<field>``,
chosen ``ids``), read as base's partner list reads them, with the user's record scope applied;
then either each partner (a company by its liaison) or the current personnel of the chosen
companies, optionally only those whose position contains a word (every «مدیرعامل», FAQ 24).

What a page posts back (the ticked ``c:<company>:<person>`` / ``p:<partner>`` keys) is kept
only if the same filters still give it: a key cannot reach outside the list or the scope.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from kernel import Actor, InputError
from kernel.persian.textnorm import clean_input, to_ascii_digits
from kernel.records import filter_conditions, search_condition
from modules.base.models import Employment, Partner
from modules.marketing.letters.addressing import Recipient

MAX_RECIPIENTS = 2000
WHOM = (("partners", "Each partner (a company by its liaison)"),
        ("personnel", "The personnel of the companies"))
# The parameters of the partner list a selection carries from page to page.
LIST_PARAMS = ("q", "ids", "whom", "position")


@dataclass(frozen=True)
class Selection:
    """The list's filters as the user gave them."""

    search: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    ids: tuple[int, ...] = ()
    whom: str = "partners"
    position: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Selection:
        ids = tuple(int(p) for p in to_ascii_digits(str(params.get("ids") or "")).replace("،", ",").split(",")
                    if p.strip().isdigit())
        whom = str(params.get("whom") or "partners")
        if whom not in dict(WHOM):
            raise InputError("Choose one of the listed values")
        return cls(search=clean_input(str(params.get("q") or "")),
                   filters={k[2:]: str(v) for k, v in params.items() if k.startswith("f_") and str(v).strip()},
                   ids=ids, whom=whom, position=clean_input(str(params.get("position") or "")))

    def hidden(self) -> list[tuple[str, str]]:
        """The selection as (name, value) pairs for a form's hidden inputs or a link."""
        out = [("q", self.search)] if self.search else []
        out += [(f"f_{k}", v) for k, v in self.filters.items()]
        if self.ids:
            out.append(("ids", ",".join(map(str, self.ids))))
        out += [("whom", self.whom)] + ([("position", self.position)] if self.position else [])
        return out


def partners(kernel: Any, session: Session, actor: Actor, sel: Selection) -> Any:
    """The partner list's statement for ``sel``, in the actor's scope, by name; ``InputError`` for
    a filter value the list would refuse too."""
    res = kernel.resources["base.partner"]
    conds, errors = filter_conditions(res, sel.filters, kernel.config.default_area_code, kernel.config.timezone,
                                      session)
    if errors:
        raise next(iter(errors.values()))
    stmt = kernel.scoped_select(actor, Partner, "view").where(*conds)
    if sel.ids:
        stmt = stmt.where(Partner.id.in_(sel.ids))
    if sel.search:
        cond = search_condition(kernel, res, sel.search)
        if cond is not None:
            stmt = stmt.where(cond)
    return stmt.order_by(Partner.sort_key, Partner.id)


def recipients(kernel: Any, session: Session, actor: Actor, sel: Selection) -> list[Recipient]:
    """Every addressee ``sel`` gives, in the order of the list (companies, then their personnel by
    name); more than :data:`MAX_RECIPIENTS` is refused."""
    listed = partners(kernel, session, actor, sel)
    if sel.whom == "partners":
        ids = list(session.scalars(listed.with_only_columns(Partner.id).limit(MAX_RECIPIENTS + 1)))
        found = [Recipient(pid) for pid in ids]
    else:
        companies = listed.where(Partner.kind == "company").with_only_columns(Partner.id, Partner.sort_key).subquery()
        people = kernel.scoped_select(actor, Partner, "view").with_only_columns(Partner.id, Partner.sort_key).subquery()
        stmt = (select(Employment.company_id, Employment.person_id)
                .join(companies, companies.c.id == Employment.company_id)
                .join(people, people.c.id == Employment.person_id)
                .where(Employment.ended_on.is_(None), Employment.deleted_at.is_(None),
                       and_(*kernel.record_conditions(actor, Employment, "view")))
                .order_by(companies.c.sort_key, companies.c.id, people.c.sort_key, people.c.id))
        if sel.position:
            stmt = stmt.where(func.lower(Employment.position).contains(sel.position.lower(), autoescape=True))
        rows = session.execute(stmt.limit(MAX_RECIPIENTS + 1)).all()
        found = list(dict.fromkeys(Recipient(company, person) for company, person in rows))
    if len(found) > MAX_RECIPIENTS:
        raise InputError("More than {n} addressees: narrow the list", n=MAX_RECIPIENTS)
    return found


def chosen(all_of: list[Recipient], keys: list[str]) -> list[Recipient]:
    """The ticked addressees among those the selection gives, in its order."""
    wanted = {r for r in (Recipient.from_key(k) for k in keys) if r is not None}
    return [r for r in all_of if r in wanted]
