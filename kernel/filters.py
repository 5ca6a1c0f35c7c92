"""Filters that are not one column of the model: "has the role customer", "in group textile or
below", "communications of this month". A module declares them on its Resource."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Filter:
    """A list filter with its own SQL.

    ``condition(value, session)`` turns what the user chose (a string) into a SQLAlchemy
    condition on the resource's model, or raises :class:`kernel.InputError` for a bad value.
    ``choices(session, actor)`` gives the drop-down's ``(value, label)`` pairs; without it
    the filter is a text box (``kind="date"`` makes it a Jalali date box).
    """

    name: str
    label: str
    condition: Callable[..., Any]
    choices: Callable[..., list[tuple[str, str]]] | None = None
    kind: str = "text"
