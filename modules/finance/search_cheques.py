"""Cheques by number or Sayad ID in the top-bar search (FAQ 5: "I have a cheque number, whose is
it?"). What is typed is compacted as the stored values are (Persian digits to ASCII, spaces and
dashes dropped), then found by one indexed equality on ``number`` and, for 16 digits, on
``sayad_id`` — inside the actor's record scope: a cheque is as visible as its customer."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import or_

from kernel import SearchHit, SearchProvider
from kernel.persian.money import format_money
from kernel.persian.numbers import format_code
from modules.base.models import Partner
from modules.finance.banking_codes import SAYAD_LENGTH, compact
from modules.finance.models import Cheque

_TYPED = re.compile(r"[0-9/]{3,30}", re.ASCII)
RESOURCE = "finance.cheque"


def find(kernel: Any, session: Any, actor: Any, query: str, limit: int) -> list[SearchHit]:
    if not actor.can(f"{RESOURCE}.view"):
        return []
    text = compact(query)
    if not _TYPED.fullmatch(text):
        return []
    match = Cheque.number == text
    if len(text) == SAYAD_LENGTH and text.isdigit():
        match = or_(match, Cheque.sayad_id == text)
    stmt = (kernel.scoped_select(actor, Cheque).add_columns(Partner.name)
            .join(Partner, Partner.id == Cheque.partner_id)
            .where(match, Cheque.deleted_at.is_(None)).order_by(Cheque.due_date.desc(), Cheque.id.desc()).limit(limit))
    url = kernel.resources[RESOURCE].url
    hits = []
    for cheque, partner in session.execute(stmt):
        amount = format_money(cheque.amount, actor.money_unit, actor.lang)
        hits.append(SearchHit(f"{format_code(cheque.number, actor.lang)} — {partner} — {amount}", f"{url}{cheque.id}",
                              "Cheque", record=f"{RESOURCE}:{cheque.id}"))
    return hits


def cheque_provider(kernel: Any) -> SearchProvider:
    def search(session: Any, actor: Any, query: str, limit: int) -> list[SearchHit]:
        return find(kernel, session, actor, query, limit)

    return SearchProvider("finance.cheque_numbers", "Cheques", search, sequence=21, exact=True)
