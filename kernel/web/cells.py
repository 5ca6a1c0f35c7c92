"""How a resource's cells are shown: the user's chosen columns, a value for display, and the
titles of referenced records (one query per referenced resource). Lists, record pages and
exports all use these, so they sit below each of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from starlette.requests import Request

from kernel import memo
from kernel.db import in_ids
from kernel.icons import cell_icon
from kernel.models import User, UserPref
from kernel.persian.jalali import format_jalali
from kernel.resources import Resource
from kernel.timezone import to_local
from kernel.web.gregorian import beside, show_gregorian
from kernel.web.templating import request_lang

if TYPE_CHECKING:
    from kernel.kernel import Kernel


def chosen_columns(session: Any, actor: Any, res: Resource) -> list[str]:
    return list(memo.cached(("columns", actor.user_id, res.name), lambda: _chosen(session, actor, res)))


def _chosen(session: Any, actor: Any, res: Resource) -> tuple[str, ...]:
    row = session.get(UserPref, (actor.user_id, f"columns:{res.name}"))
    if row:
        cols = [c for c in json.loads(row.value) if c in res.choosable_columns]
        if cols:
            return tuple(cols)
    return tuple(res.columns)


def display(request: Request, res: Resource, obj: Any, name: str, refs: dict[tuple[str, int], str]) -> str:
    return displayer(request, res, refs)(obj, name)


def displayer(request: Request, res: Resource, refs: dict[tuple[str, int], str]) -> Callable[[Any, str], str]:
    """``display`` with what is the same for every cell of a page (language, time zone, money
    unit, Gregorian dates) looked up once: a list page shows hundreds of cells."""
    kernel = request.app.state.kernel
    lang = request_lang(request)
    tz = kernel.config.timezone
    actor = request.state.actor
    unit = actor.money_unit if actor else "rial"
    t = kernel.t
    gregorian: list[bool] = []  # asked once, at the first date shown

    def show(obj: Any, name: str) -> str:
        if name in ("created_at", "updated_at"):
            return format_jalali(to_local(getattr(obj, name), tz), lang, "datetime")
        f = res.field(name)
        value = getattr(obj, name)
        if f.kind == "ref" and value is not None:
            return refs.get((f.ref, value), f"#{value}")
        if f.kind == "date" and value is not None:
            if not gregorian:
                gregorian.append(show_gregorian(request))
            if gregorian[0]:
                return beside(value, lang, "short")
        return f.display(value, lang, unit, t, tz)

    return show


def marker(request: Request, res: Resource, cols: list[str]) -> Callable[[Any, str, str], str] | None:
    """The icons of a page's cells (``Field(icon=...)``): ``mark(obj, column, text)`` gives the
    icon's markup or "". None when no chosen column has an icon, so such a page does no work. An
    icon with its label is built once per page, not per row."""
    icons = {c: f.icon for c in cols if (f := res.all_fields.get(c)) is not None and f.icon is not None}
    if not icons:
        return None
    t = request.app.state.kernel.t
    lang = request_lang(request)
    made: dict[tuple[Any, str], str] = {}

    def mark(obj: Any, name: str, text: str) -> str:
        answer = icons[name](getattr(obj, name)) if name in icons else None
        if answer is None:
            return ""
        key = (answer, text)
        if key not in made:
            made[key] = str(cell_icon(answer, t(lang, answer.label, text=text)))
        return made[key]

    return mark


HIDDEN = "—"
"""What a reference to a record outside the reader's scope shows: neither its title nor its id."""


def titles_for(kernel: Kernel, session: Any, wanted: dict[str, set[int]], actor: Any = None) -> dict[tuple[str, int], str]:
    """Titles of records by resource name (``"@user"`` for users), one query per resource.

    With ``actor``, a record outside the actor's record scope is titled :data:`HIDDEN` (an
    Isfahan-limited user's task about a Tehran partner does not name the partner, on the page or
    in an export); a record in the recycle bin keeps its title."""
    out: dict[tuple[str, int], str] = {}
    for ref, ids in wanted.items():
        if not ids:
            continue
        if ref == "@user":
            rows = session.execute(select(User.id, User.username, User.full_name).where(in_ids(User.id, ids)))
            out.update({("@user", uid): full or uname for uid, uname, full in rows})
        elif ref in kernel.resources:
            target = kernel.resources[ref]
            model: Any = target.model
            if target.shared and not (actor is not None and kernel.record_conditions(actor, model, "view")):
                every = memo.cached(("titles", ref), partial(_all_titles, session, target))
                if every is not None:
                    out.update({(ref, i): every[i] for i in ids if i in every})
                    continue
            column = _title_column(target)
            stmt = select(model.id, column) if column is not None else select(model)
            stmt = stmt.where(in_ids(model.id, ids))
            if actor is not None:
                stmt = stmt.where(*kernel.record_conditions(actor, model, "view"))
                out.update({(ref, i): HIDDEN for i in ids})
            if column is None:
                out.update({(ref, other.id): target.title_of(other) for other in session.scalars(stmt)})
                continue
            for rid, value in session.execute(stmt):
                out[(ref, rid)] = target.title_of(SimpleNamespace(id=rid, **{target.title_field: value}))
    return out


def _title_column(target: Resource) -> Any:
    """The title's own column, when the title needs nothing else: a board of 250 cards then reads
    two columns of each partner instead of building 250 whole partners (5 ms of a PostgreSQL
    board). None for a title that is a reference (titled through its own record) or no column."""
    field = target.all_fields.get(target.title_field)
    column = getattr(target.model, "__table__", None)
    if field is not None and field.kind == "ref" or column is None or target.title_field not in column.c:
        return None
    return column.c[target.title_field]


SHARED_TITLES_MAX = 5_000


def _all_titles(session: Any, target: Resource) -> dict[int, str] | None:
    """Every title of a shared table (provinces, cities), kept between requests by kernel.memo;
    None for one too big to keep whole."""
    model: Any = target.model
    rows = list(session.scalars(select(model).limit(SHARED_TITLES_MAX + 1)))
    if len(rows) > SHARED_TITLES_MAX:
        return None
    return {o.id: target.title_of(o) for o in rows}


def ref_titles(kernel: Kernel, session: Any, res: Resource, objs: list[Any], names: list[str],
               actor: Any = None) -> dict[tuple[str, int], str]:
    """Titles of the records that ``objs`` refer to in columns ``names`` (no N+1); with ``actor``,
    those outside its record scope are :data:`HIDDEN`."""
    wanted: dict[str, set[int]] = {}
    for name in names:
        f = res.all_fields.get(name)
        key = f.ref if f and f.kind == "ref" and f.ref else ""
        if key:
            wanted.setdefault(key, set()).update(getattr(o, name) for o in objs if getattr(o, name, None) is not None)
    return titles_for(kernel, session, wanted, actor)


def hidden_refs(kernel: Kernel, session: Any, actor: Any, res: Resource, objs: list[Any],
                names: list[str] | None = None) -> dict[int, frozenset[str]]:
    """For each record, which of its references (``names``; default: every reference in the
    form) point at records outside the actor's scope: the API shows them as ``null``, menus
    leave out their actions."""
    if names is None:
        names = list(res.form)
    # A target without record conditions for this actor hides nothing: no query for its titles
    # (an administrator's autocomplete asked for every referenced record on each keystroke).
    names = [n for n in names if (f := res.all_fields.get(n)) is not None and f.kind == "ref"
             and f.ref in kernel.resources
             and kernel.record_conditions(actor, kernel.resources[f.ref].model, "view")]
    if not names:
        return {o.id: frozenset() for o in objs}
    refs = ref_titles(kernel, session, res, objs, names, actor)
    return {o.id: frozenset(n for n in names if getattr(o, n) is not None
                            and refs.get((res.field(n).ref, getattr(o, n))) == HIDDEN) for o in objs}
