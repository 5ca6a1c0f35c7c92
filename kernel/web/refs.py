"""Choosing a referenced record in forms and filters: a drop-down for small lists, a live
search over the target's API for large ones (a million partners cannot be an <option> list)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from markupsafe import Markup, escape
from sqlalchemy import func, select

from kernel import memo, records
from kernel.fields import Field
from kernel.models import User
from kernel.resources import USER_REF, Resource

if TYPE_CHECKING:
    from kernel.kernel import Kernel

# Up to this many rows a drop-down; more, and a list without search is a scroll through names.
SELECT_MAX = 50


@dataclass(frozen=True)
class RefWidget:
    """What a template needs to draw one reference input."""

    mode: str  # "select" | "search" | "id" (the user may not view the target)
    options: tuple[tuple[int, str], ...] = ()
    api_url: str = ""
    title: str = ""  # the current record's title, for the search box
    # The field's ref_filter for the search: fixed f_<name> parameters, and the form fields
    # whose current value the script sends as f_<name> (the chosen partner of a communication).
    params: str = ""
    depends: tuple[tuple[str, str], ...] = ()

    @cached_property
    def _option_tags(self) -> tuple[tuple[str, str], ...]:
        return tuple((str(value), f'<option value="{escape(value)}" >{escape(label)}</option>')
                     for value, label in self.options)

    def options_html(self, selected: Any) -> Markup:
        """The ``<option>`` tags with ``selected`` chosen, built once per widget: a widget of a
        shared table is kept between requests (kernel.memo) and a Jinja loop over 31 provinces
        per filter was a tenth of a list page."""
        chosen = str(selected if selected is not None else "")
        return Markup("".join(tag.replace('" >', '" selected>', 1) if value == chosen else tag
                              for value, tag in self._option_tags))


def _users(session: Any) -> RefWidget:
    users = session.execute(select(User.id, User.full_name, User.username).order_by(User.username))
    return RefWidget("select", tuple((uid, full or uname) for uid, full, uname in users))


def _select(kernel: Kernel, session: Any, actor: Any, target: Resource, fixed: dict[str, Any]) -> RefWidget | None:
    """The drop-down of the table's rows, or None when the table is too big for a drop-down."""
    model: Any = target.model
    # The table's size decides first (a walk of the primary key): counting only the rows a user
    # may see scans the whole table when they see few of many (1.8 s at a million partners).
    rows_in_table = select(func.count()).select_from(select(model.id).limit(SELECT_MAX + 1).subquery())
    if (session.scalar(rows_in_table) or 0) > SELECT_MAX:
        return None
    conds, _ = records.filter_conditions(target, fixed, session=session)
    base = kernel.scoped_select(actor, model).where(*conds)
    sort = target.sort_column(target.title_field)  # alphabetical, by its key when it has one
    rows = session.scalars(base.order_by(getattr(model, sort), model.id))
    return RefWidget("select", tuple((o.id, target.title_of(o)) for o in rows))


def widget(kernel: Kernel, session: Any, actor: Any, f: Field, current: Any) -> RefWidget:
    if f.ref == USER_REF:
        return memo.cached(("ref.users",), lambda: _users(session))
    target = kernel.resources.get(f.ref)
    if target is None or not actor.can(target.perm("view")):
        return RefWidget("id")
    model: Any = target.model
    depends = f.ref_depends
    fixed = f.ref_filters({})  # the filters that do not read another field
    # A filter read from another field changes as the user types: only the search follows it.
    if not depends:
        # Kept between requests (kernel.memo): a shared table's rows (provinces, groups) as they
        # are; any other table only its verdict "too big", which more rows cannot make wrong.
        key = ("ref.options", actor, f.ref, repr(sorted(fixed.items())))
        select_widget = memo.cached(key, lambda: _select(kernel, session, actor, target, fixed),
                                    keep=None if target.shared else (lambda found: found is None))
        if select_widget is not None:
            return select_widget
    title = ""
    if str(current or "").isdigit():
        obj = session.scalars(kernel.scoped_select(actor, model).where(model.id == int(str(current)))).first()
        title = target.title_of(obj) if obj is not None else ""
    return RefWidget("search", api_url=target.api_url, title=title,
                     params=urlencode({f"f_{k}": v for k, v in fixed.items()}),
                     depends=tuple(depends.items()))


def widgets(kernel: Kernel, session: Any, actor: Any, fields: list[Field], values: dict[str, Any]) -> dict[str, RefWidget]:
    return {f.name: widget(kernel, session, actor, f, values.get(f.name)) for f in fields if f.kind == "ref"}
