"""Proformas and invoices by their number in the top-bar search (KER-12).

People type a number as they remember it: whole (``INV-1405-00012``), with Persian digits and
without the prefix (``۱۴۰۵-۱۲``), or just the running number (``00012``, ``۱۲``). The query is
taken apart like the stored numbers (:mod:`modules.finance.models.number_key`) and answered by
one indexed equality on ``number_seq`` per table (the year and a typed prefix then narrow the few
rows it finds), inside the actor's record scope: a document is as visible as its customer.

The same condition is the documents' ``Resource.lookup``: the lists' ``?q=`` take a number by
it, and the top-bar search skips the trigram search of proformas and invoices for a number
(``SearchProvider.covers``): every document shares the trigrams of ``inv-1405-``, so that scan
read ~100,000 index entries for one row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import and_, func

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


def number_condition(model: Any, query: str) -> Any:
    """The documents of ``model`` a typed number names — the indexed equality on ``number_seq``,
    then the year and a typed prefix — or None when the text is not a number."""
    parsed = parse(query)
    if parsed is None:
        return None
    head, year, seq = parsed
    conds = [model.number_seq == seq]
    if year is not None:
        conds.append(model.number_year == year)
    if head:
        conds.append(func.upper(model.number).startswith(head.upper(), autoescape=True))
    return and_(*conds)


def lookup(model: Any) -> Callable[[str], Any]:
    """``Resource.lookup`` of a document: its list's ``?q=`` and the kernel's search take a
    number by the number key instead of the trigram search of ``search_key``."""
    return lambda query: number_condition(model, query)


def find(kernel: Any, session: Any, actor: Any, query: str, limit: int) -> list[SearchHit]:
    if parse(query) is None:
        return []
    hits: list[SearchHit] = []
    for model, resource, kind in DOCS:
        if not actor.can(f"{resource}.view"):
            continue
        stmt = (kernel.scoped_select(actor, model).add_columns(Partner.name)
                .join(Partner, Partner.id == model.partner_id)
                .where(number_condition(model, query))
                .order_by(model.number_year.desc(), model.id.desc()).limit(limit))
        url = kernel.resources[resource].url
        for doc, partner in session.execute(stmt):
            hits.append(SearchHit(f"{format_code(doc.number, actor.lang)} — {partner}", f"{url}{doc.id}", kind,
                                  record=f"{resource}:{doc.id}"))
    return hits[:limit]


def providers(kernel: Any) -> list[SearchProvider]:
    def search(session: Any, actor: Any, query: str, limit: int) -> list[SearchHit]:
        return find(kernel, session, actor, query, limit)

    from modules.finance.search_cheques import cheque_provider  # -- cheques: by number or Sayad ID (FAQ 5)

    # A number is answered here, so the kernel's search of the two documents is skipped for it.
    return [SearchProvider("finance.document_numbers", "Proformas and invoices", search, sequence=20, exact=True,
                           covers=tuple(resource for _model, resource, _kind in DOCS)),
            cheque_provider(kernel)]
