"""Proformas and invoices by their number in the top-bar search (KER-12).

People type a number as they remember it: whole (``INV-1405-00012``), with Persian digits and
without the prefix (``۱۴۰۵-۱۲``), or just the running number (``00012``, ``۱۲``). The query is
taken apart like the stored numbers (:mod:`modules.finance.models.number_key`) and answered by
one indexed equality on ``number_seq`` per table (the year and a typed prefix then narrow the few
rows it finds), inside the actor's record scope: a document is as visible as its customer.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func

from kernel import SearchHit, SearchProvider
from kernel.persian.numbers import format_code
from kernel.persian.textnorm import clean_input, to_ascii_digits
from modules.base.models import Partner
from modules.finance.models import Invoice, Proforma
from modules.finance.models.number_key import SEQ_MAX

# [prefix] [year separator] running-number; separators as typed on either keyboard.
_QUERY = re.compile(r"^(?P<head>[A-Za-z][A-Za-z0-9/_.\-]*?)?[\s\-/_.]*"
                    r"(?:(?P<year>1[3-5]\d\d)\s*[\-/_.\s\u2010-\u2015\u2212]\s*)?(?P<seq>\d{1,10})$")
DOCS = ((Proforma, "finance.proforma", "Proforma"), (Invoice, "finance.invoice", "Invoice"))


def parse(query: str) -> tuple[str, int | None, int] | None:
    """(prefix, year, running number) of a typed document number, or None if it is not one."""
    text = to_ascii_digits(clean_input(query or "")).strip()
    found = _QUERY.match(text)
    if found is None:
        return None
    seq = int(found.group("seq"))
    if not 0 < seq <= SEQ_MAX:
        return None
    year = found.group("year")
    return (found.group("head") or "").rstrip("-/_."), int(year) if year else None, seq


def find(kernel: Any, session: Any, actor: Any, query: str, limit: int) -> list[SearchHit]:
    parsed = parse(query)
    if parsed is None:
        return []
    head, year, seq = parsed
    hits: list[SearchHit] = []
    for model, resource, kind in DOCS:
        if not actor.can(f"{resource}.view"):
            continue
        stmt = (kernel.scoped_select(actor, model).add_columns(Partner.name)
                .join(Partner, Partner.id == model.partner_id)
                .where(model.number_seq == seq))
        if year is not None:
            stmt = stmt.where(model.number_year == year)
        if head:
            stmt = stmt.where(func.upper(model.number).startswith(head.upper(), autoescape=True))
        stmt = stmt.order_by(model.number_year.desc(), model.id.desc()).limit(limit)
        url = kernel.resources[resource].url
        for doc, partner in session.execute(stmt):
            hits.append(SearchHit(f"{format_code(doc.number, actor.lang)} — {partner}", f"{url}{doc.id}", kind,
                                  record=f"{resource}:{doc.id}"))
    return hits[:limit]


def providers(kernel: Any) -> list[SearchProvider]:
    def search(session: Any, actor: Any, query: str, limit: int) -> list[SearchHit]:
        return find(kernel, session, actor, query, limit)

    from modules.finance.search_cheques import cheque_provider  # -- cheques: by number or Sayad ID (FAQ 5)

    return [SearchProvider("finance.document_numbers", "Proformas and invoices", search, sequence=20),
            cheque_provider(kernel)]
