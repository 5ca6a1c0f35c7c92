from __future__ import annotations

from typing import Any

from kernel import hookimpl
from kernel.persian.words import amount_in_words
from modules.marketing.placeholders import Context, Placeholder

# What the ledger owes per partner id; a real module reads its own tables through context.session.
BALANCES: dict[int, int] = {}


def balance_words(context: Context) -> str:
    return amount_in_words(BALANCES.get(context.recipient.partner_id or 0, 0), "rial", context.lang)


@hookimpl
def register_marketing_placeholders() -> list[Any]:
    return [Placeholder("balance_words", "Balance in words", balance_words)]
