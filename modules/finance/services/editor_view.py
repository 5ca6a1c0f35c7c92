"""What the line editor shows of a document: its lines with their products and rules, and the
totals in Rials and Tomans with the grand total in words. Read only; the page and each change's
answer (an HTML fragment) are drawn from it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from kernel import Actor, Conflict
from kernel.persian.words import amount_in_words
from kernel.web.resource_views import titles_for
from modules.finance.services.documents import DocType, check_editable, lines_of


def editable(actor: Actor, doc: Any) -> bool:
    try:
        check_editable(actor, doc)
    except Conflict:
        return False
    return True


def editor_context(kernel: Any, session: Session, actor: Actor, doc: Any, doc_type: DocType,
                   lines: list[Any] | None = None) -> dict[str, Any]:
    """``lines``: the document's lines in order, when the caller has them (it just wrote them)."""
    lines = lines_of(session, doc) if lines is None else lines
    titles = titles_for(kernel, session, {"finance.product": {li.product_id for li in lines}}, actor)
    res = kernel.resources[doc_type.name]
    total = int(doc.grand_total or 0)
    return {
        "doc": doc, "res": res, "lines": lines, "kind": doc_type.name.split(".", 1)[1],
        "product": lambda pid: titles.get(("finance.product", pid), f"#{pid}"),
        "editable": editable(actor, doc),
        "words": {unit: amount_in_words(total, unit, "fa") for unit in ("rial", "toman")},
        "unit": actor.money_unit,
        "vat_percent": (Decimal(doc.vat_rate_bp or 0) / 100).normalize(),
    }
