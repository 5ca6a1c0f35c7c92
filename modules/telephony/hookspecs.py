"""Telephony's own hooks, for the modules and pip packages that depend on it (docs/plugins.md §5,
"A module's own hooks")."""

from __future__ import annotations

from typing import Any

from kernel import hookspec


@hookspec
def register_telephony_drivers(kernel: Any) -> Any:
    """Device drivers this package speaks: ``list[devices.drivers.kinds.DriverKind]`` (a key
    stored on the device, a label, and ``make(timezone)`` answering a fresh
    ``devices.drivers.base.Driver``). Each is offered when an administrator adds a device."""


@hookspec
def telephony_caller_facts(kernel: Any, session: Any, actor: Any, partner_id: int, lang: str) -> Any:
    """What a module knows of a caller, shown on the incoming-call pop-up: a list of
    ``(sequence, label, text)`` — ``label`` an English msgid from the module's own catalogue,
    ``text`` ready to show in ``lang`` (Persian digits; a number wrapped in
    ``kernel.persian.textnorm.ltr_isolate``). Read in the actor's record scope
    (``kernel.scoped_select``) and with one indexed query: it runs while the phone rings. A module
    that does not depend on telephony implements it with ``@hookimpl(optionalhook=True)`` and
    imports nothing of telephony (base: last communication, tasks: open tasks, finance: balance)."""
