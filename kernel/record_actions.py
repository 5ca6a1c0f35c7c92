"""The context menu of a record (KER-17): which registered actions apply, with their URLs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from string import Formatter
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from kernel.declarations import RecordAction

if TYPE_CHECKING:
    from kernel.actor import Actor
    from kernel.kernel import Kernel
    from kernel.resources import Resource


@dataclass(frozen=True)
class MenuEntry:
    """One entry as a page shows it: a label (message id), where it goes, its key if any."""

    label: str
    url: str
    shortcut: str = ""


def placeholders(action: RecordAction) -> list[str]:
    return list(_fields_of_url(action.url))


@lru_cache(maxsize=256)
def _fields_of_url(url: str) -> tuple[str, ...]:
    # Parsed once per URL, not once per row of every list page.
    return tuple(name for _, name, _, _ in Formatter().parse(url) if name)


def applies(action: RecordAction, res: Resource) -> bool:
    if res.name in action.resources:
        return True
    return bool(action.with_field) and (action.with_field == "id" or action.with_field in res.all_fields)


def fields_of(actions: list[RecordAction]) -> list[str]:
    """The record fields the actions' URLs use (whose targets' scope a page must check)."""
    return list(dict.fromkeys(n for a in actions for n in placeholders(a) if n not in ("url", "id")))


def for_resource(kernel: Kernel, actor: Actor, res: Resource) -> list[RecordAction]:
    """The actions a user may take on records of ``res``, computed once per page."""
    return [a for a in kernel.record_actions
            if applies(a, res) and (a.permission is None or actor.can(a.permission))]


def entries(actions: list[RecordAction], res: Resource, obj: Any,
            hidden: frozenset[str] = frozenset()) -> list[MenuEntry]:
    """The menu of one record; an action whose field is empty on it (no partner), or names a
    record outside the reader's scope (``hidden``), is left out."""
    out: list[MenuEntry] = []
    for action in actions:
        values: dict[str, str] = {}
        for name in _fields_of_url(action.url):
            value: Any = res.url if name == "url" else getattr(obj, name, None)
            if value is None or value == "" or name in hidden:
                break
            # The resource's own URL is a path already; a field's value is quoted into it (an id
            # needs no quoting: most values of a list page's menus are ids).
            values[name] = str(value) if name == "url" or type(value) is int else quote(str(value), safe="")
        else:
            out.append(MenuEntry(action.label, action.url.format(**values), action.shortcut))
    return out
