"""FIN-15: a proforma or an invoice as a PDF, in three formats and two paper sizes.

- **customer** — the copy handed to the customer: lines, discounts, taxes, totals and the grand
  total in words; never what the business keeps to itself (the marketer and their commission).
- **accounting** — every line with its tax breakdown (VAT, municipal tax, exempt lines), the price
  rule each unit price came from, the marketer and the commission each line earns.
- **archive** — compact (smaller type, fewer columns) with the document's history: when it was
  written, issued, converted, cancelled or voided, and by whom.

Each in A4 or A5 (``finance/print_a5.css`` on top of the kernel's PDF style). Callable without
HTTP: :func:`document_pdf` takes the kernel, a Jinja environment and a session, so the e-mail
route attaches exactly what the print route shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jinja2 import Environment
from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import Actor, InputError
from kernel.documents import render_pdf
from kernel.models import History
from kernel.persian.numbers import format_code
from kernel.persian.words import amount_in_words
from kernel.web.cells import titles_for
from modules.finance.models import Invoice, Product, Proforma
from modules.finance.services.documents import lines_of

FORMATS = (("customer", "Customer copy"), ("accounting", "Accounting copy"), ("archive", "Archive copy"))
PAPERS = (("A4", "A4"), ("A5", "A5"))
TITLE_MAX, DESCRIPTION_MAX = 120, 1000
# History entries the archive copy lists: the document's life, not every typo fixed in a draft.
_LIFE = ("state", "number", "converted_invoice_id", "void_reason", "cancel_reason", "E-mailed to")


@dataclass(frozen=True)
class PrintOptions:
    """What the user chose on the print menu; :func:`options` checks it."""

    format: str = "customer"
    paper: str = "A4"
    title: str = ""
    description: str | None = None  # None: the document's own description


def options(params: Any) -> PrintOptions:
    """The print options from a query string or a form; ``InputError`` naming what is wrong."""
    fmt = str(params.get("format") or "customer")
    paper = str(params.get("paper") or "A4").upper()
    if fmt not in dict(FORMATS):
        raise InputError("Choose one of the listed values")
    if paper not in dict(PAPERS):
        raise InputError("Choose one of the listed values")
    title = " ".join(str(params.get("title") or "").split())
    if len(title) > TITLE_MAX:
        raise InputError("At most {n} characters", n=TITLE_MAX)
    description = params.get("description")
    if description is not None:
        description = str(description).strip()
        if len(description) > DESCRIPTION_MAX:
            raise InputError("At most {n} characters", n=DESCRIPTION_MAX)
    return PrintOptions(fmt, paper, title, description)


def _commissions(session: Session, doc: Proforma | Invoice, lines: list[Any]) -> dict[int, int]:
    """The marketer's commission each line earns, only when the document names a marketer: the
    commissions' own rule (:func:`modules.finance.services.commissions.line_shares`), at the
    percentages an issued invoice's line kept, else at the product's of today."""
    from modules.finance.services.commissions import line_shares

    if not doc.marketer_id or not lines:
        return {}
    rates = {pid: (m, a) for pid, m, a in session.execute(
        select(Product.id, Product.marketer_commission, Product.agency_commission)
        .where(Product.id.in_({li.product_id for li in lines})))}
    out = {}
    for li in lines:
        kept = getattr(li, "rated_product_id", None) == li.product_id
        marketer, agency = (li.marketer_rate, li.agency_rate) if kept else rates.get(li.product_id, (None, None))
        if marketer:
            out[li.id] = line_shares(li.taxable, marketer, agency, marketer=True, agency=False)[1]
    return out


def _history(kernel: Any, session: Session, actor: Actor, res: Any, doc: Proforma | Invoice,
             lang: str) -> list[dict[str, Any]]:
    """The document's life from its history, oldest first: created, then each change of state,
    number, conversion or reason."""
    rows = list(session.scalars(select(History).where(History.table_name == doc.__tablename__,
                                                      History.record_id == doc.id).order_by(History.id)))
    users = titles_for(kernel, session, {"@user": {h.user_id for h in rows if h.user_id}})
    out = []
    for h in rows:
        changes = json.loads(h.changes or "{}")
        shown = []
        for name in _LIFE:
            if name in changes and changes[name][1] not in (None, ""):
                new = changes[name][1]
                f = res.all_fields.get(name)
                if f is None:  # "E-mailed to": an address, shown as written
                    shown.append((kernel.t(lang, name), str(new)))
                elif f.kind == "ref":  # "Converted into": the invoice by its number, as on paper
                    shown.append((kernel.t(lang, f.label), document_number(kernel, session, Invoice, int(new), lang)))
                else:
                    shown.append((kernel.t(lang, f.label), f.display(new, lang, t=kernel.t)))
        if h.action == "create" or shown:
            out.append({"at": h.at, "action": h.action, "changes": shown,
                        "user": users.get(("@user", h.user_id or 0), kernel.t(lang, "System"))})
    return out


def context(kernel: Any, session: Session, actor: Actor, doc: Proforma | Invoice, opts: PrintOptions,
            lang: str) -> dict[str, Any]:
    """Everything the template shows, read once (no query per line)."""
    res = kernel.resources["finance.invoice" if isinstance(doc, Invoice) else "finance.proforma"]
    lines = lines_of(session, doc)
    refs = titles_for(kernel, session, {"finance.product": {li.product_id for li in lines},
                                        "base.partner": {doc.partner_id, *([doc.marketer_id] if doc.marketer_id else [])}},
                      actor)
    unit: Any = actor.money_unit
    is_invoice = isinstance(doc, Invoice)
    marketer = refs.get(("base.partner", doc.marketer_id), "") if doc.marketer_id else ""
    kind = kernel.t(lang, "Invoice" if is_invoice else "Proforma")
    return {
        "lang": lang, "money_unit": unit, "tz": kernel.config.timezone,
        "title": opts.title or kind, "kind": kind, "options": opts, "doc": doc, "lines": lines,
        "is_invoice": is_invoice, "company": kernel.letterhead(session),
        "format_label": kernel.t(lang, dict(FORMATS)[opts.format]),
        "description": doc.description if opts.description is None else opts.description,
        "customer": refs.get(("base.partner", doc.partner_id), ""),
        "marketer": marketer,
        "product": lambda pid: refs.get(("finance.product", pid), f"#{pid}"),
        "state": _label(kernel, lang, res, "state", doc.state),
        "invoice_type": _label(kernel, lang, res, "invoice_type", doc.invoice_type) if isinstance(doc, Invoice) else "",
        "vat_pct": Decimal(doc.vat_rate_bp or 0) / 100, "municipal_pct": Decimal(doc.municipal_rate_bp or 0) / 100,
        "words": amount_in_words(int(doc.grand_total), unit, lang),
        "commissions": _commissions(session, doc, lines) if opts.format == "accounting" else {},
        "history": _history(kernel, session, actor, res, doc, lang) if opts.format == "archive" else [],
        "converted_into": (document_number(kernel, session, Invoice, doc.converted_invoice_id, lang)
                           if isinstance(doc, Proforma) and doc.converted_invoice_id else ""),
    }


def _label(kernel: Any, lang: str, res: Any, name: str, value: str) -> str:
    return str(kernel.t(lang, dict(res.field(name).choices).get(value, value)))


def document_number(kernel: Any, session: Session, model: type[Proforma] | type[Invoice], doc_id: int,
                    lang: str) -> str:
    """A document as people name it: its number, read left to right in the reader's digits
    (``⁦INV-۱۴۰۵-۰۰۰۰۱⁩``), or "Draft" while it has none — never its database id."""
    number = session.scalar(select(model.number).where(model.id == doc_id))
    return format_code(number, lang) if number else str(kernel.t(lang, "Draft"))


def document_html(kernel: Any, env: Environment, session: Session, actor: Actor, doc: Proforma | Invoice,
                  opts: PrintOptions, lang: str) -> str:
    return env.get_template("finance/print_document.html").render(context(kernel, session, actor, doc, opts, lang))


def document_pdf(kernel: Any, env: Environment, session: Session, actor: Actor, doc: Proforma | Invoice,
                 opts: PrintOptions, lang: str) -> bytes:
    return render_pdf(document_html(kernel, env, session, actor, doc, opts, lang), kernel.static_dirs())


def file_name(kernel: Any, doc: Proforma | Invoice, lang: str) -> str:
    """"<Proforma|Invoice> <number>.pdf" — the number in ASCII: it names a file."""
    kind = kernel.t(lang, "Invoice" if isinstance(doc, Invoice) else "Proforma")
    return f"{kind} {doc.number or doc.id}.pdf"
