"""Filters that are not one column of the model: "has the role customer", "in group textile or
below", "communications of this month". A module declares them on its Resource."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Filter:
    """A list filter with its own SQL.

    ``condition(value)`` turns what the user chose (a string) into a SQLAlchemy condition on
    the resource's model, or raises :class:`kernel.InputError` for a bad value. It may also
    accept ``session`` and ``purpose`` ("page" or "count") keywords: the count of a list may be
    cheaper in another SQL shape than the page (see the role filter of the base module).
    ``choices(session, actor)`` gives the drop-down's ``(value, label)`` pairs; without it
    the filter is a text box (``kind="date"`` makes it a Jalali date box).
    """

    name: str
    label: str
    condition: Callable[..., Any]
    choices: Callable[..., list[tuple[str, str]]] | None = None
    kind: str = "text"

    def build(self, value: str, **available: Any) -> Any:
        """Call ``condition`` with the keywords it accepts."""
        params = inspect.signature(self.condition).parameters
        if any(p.kind is p.VAR_KEYWORD for p in params.values()):
            return self.condition(value, **available)
        return self.condition(value, **{k: v for k, v in available.items() if k in params})
