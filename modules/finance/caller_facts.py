"""The caller's open balance on telephony's incoming-call pop-up (``telephony_caller_facts``).

Finance does not depend on telephony: the hook is implemented as optional and this file imports
nothing of it. The figure is the profile panel's (``open_balance``), in the actor's scope."""

from __future__ import annotations

from typing import Any

from kernel.persian.money import format_money
from modules.finance.panels import open_balance


def facts(kernel: Any, session: Any, actor: Any, partner_id: int, lang: str) -> list[tuple[int, str, str]]:
    if not actor.can("finance.invoice.view"):
        return []
    count, balance, _total = open_balance(kernel, session, actor, partner_id)
    if not count:
        return []
    return [(50, "Open balance", format_money(balance, getattr(actor, "money_unit", "rial") or "rial", lang))]
