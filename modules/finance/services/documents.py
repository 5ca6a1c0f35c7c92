"""The two documents, proforma and invoice, seen through one shape; totals kept on every change."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import bindparam, event, insert, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from kernel import Actor, Conflict, InputError
from kernel.db import acting_user_id, number_new_rows, utcnow
from kernel.models import History
from kernel.records import FormErrors
from modules.finance.models import Invoice, InvoiceLine, Proforma, ProformaLine
from modules.finance.models.tax import rates_on
from modules.finance.totals import DocumentTotals, LineInput, compute


@dataclass(frozen=True)
class DocType:
    name: str  # the resource, and the number series
    model: type[Proforma] | type[Invoice]
    line_model: type[ProformaLine] | type[InvoiceLine]
    fk: str  # the line's column naming its document

    @property
    def line_fk(self) -> Any:
        return getattr(self.line_model, self.fk)


LINE_AMOUNTS = ("gross", "discount_amount", "net", "document_discount", "taxable", "vat", "municipal", "total")
PROFORMA = DocType("finance.proforma", Proforma, ProformaLine, "proforma_id")
INVOICE = DocType("finance.invoice", Invoice, InvoiceLine, "invoice_id")


def doc_type(doc: Proforma | Invoice) -> DocType:
    return INVOICE if isinstance(doc, Invoice) else PROFORMA


def lines_of(session: Session, doc: Proforma | Invoice) -> list[Any]:
    """The document's lines in order: read, or those :func:`lines_known` holds for it."""
    known = session.info.get(_KNOWN)
    if known:
        lines = known.get((type(doc), doc.id))
        if lines is not None and not _pending_lines(session, doc_type(doc).line_model):
            return list(lines)
    return list(session.scalars(_lines_select(doc_type(doc)), {"doc": doc.id}))


_KNOWN = "finance.known_lines"


@contextmanager
def lines_known(session: Session, doc: Proforma | Invoice, lines: list[Any]) -> Iterator[None]:
    """Inside, :func:`lines_of` answers ``lines`` for ``doc`` without reading them again: the
    caller has just read or written them, all of them, in order, and is about to announce the
    document (an issue, a conversion) to handlers that each ask for its lines (commissions, the
    average cost: two statements of issue 11's chain). A line of any document added or removed
    meanwhile (pending in the session, or written by a flush) makes it read them again."""
    known = session.info.setdefault(_KNOWN, {})
    key = (type(doc), doc.id)
    known[key] = list(lines)
    try:
        yield
    finally:
        known.pop(key, None)


def _pending_lines(session: Session, line_model: Any) -> bool:
    return any(isinstance(obj, line_model) for obj in (*session.new, *session.deleted))


def _forget_lines(mapper: Any, _connection: Any, target: Any) -> None:
    """A line inserted or deleted by a flush: its document's lines are no longer those known."""
    session = inspect(target).session
    known = session.info.get(_KNOWN) if session is not None else None
    if known:
        of = INVOICE if mapper.class_ is InvoiceLine else PROFORMA
        known.pop((of.model, getattr(target, of.fk)), None)


for _model in (InvoiceLine, ProformaLine):
    for _name in ("after_insert", "after_delete"):
        if not event.contains(_model, _name, _forget_lines):
            event.listen(_model, _name, _forget_lines)


@cache
def _lines_select(dt_: DocType) -> Any:
    """A document's lines in order; built once per document type (every write reads them)."""
    return (select(dt_.line_model).where(dt_.line_fk == bindparam("doc"))
            .order_by(dt_.line_model.position, dt_.line_model.id))


def number_new_lines(session: Session, model: Any, lines: list[Any]) -> None:
    """Ids for new lines before their INSERT, on SQLite: there SQLAlchemy learns each new row's id
    from an INSERT of its own (SQLite does not promise RETURNING's order), ten statements for ten
    lines; numbered first, they go in by one executemany. PostgreSQL's multi-row ``INSERT …
    RETURNING`` is one statement already (numbering would add one)."""
    if lines and session.get_bind().dialect.name == "sqlite":
        number_new_rows(session, model, lines)


def line_input(line: Any) -> LineInput:
    return LineInput(Decimal(line.quantity), int(line.unit_price), line.discount_kind,
                     Decimal(line.discount_value or 0), bool(line.tax_exempt))


def totals_for(doc: Proforma | Invoice, lines: list[Any]) -> DocumentTotals:
    """The totals the document would have; ``FormErrors`` on the header field at fault. A draft
    without lines has nothing to take its document discount from yet (it is typed first, with the
    header): it counts from the first line on."""
    try:
        return compute([line_input(li) for li in lines], discount_kind=doc.discount_kind,
                       discount_value=Decimal(doc.discount_value or 0) if lines else Decimal(0), vat_bp=doc.vat_rate_bp or 0,
                       municipal_bp=doc.municipal_rate_bp or 0, shipping=doc.shipping or 0)
    except InputError as exc:
        field = "shipping" if "shipping" in exc.msgid else "discount_value"
        raise FormErrors({field: exc}) from exc


def recompute(session: Session, doc: Proforma | Invoice, lines: list[Any] | None = None) -> DocumentTotals:
    """Write every amount of the document and its lines. A draft takes the tax rates in force on
    its date; an issued document keeps the rates it was issued with (unless its date changed)."""
    # The lines first: read after the rates, their SELECT would flush the header half-done (an
    # UPDATE and a history row more than the one the totals make).
    lines = lines_of(session, doc) if lines is None else lines
    if doc.state == "draft":
        doc.vat_rate_bp, doc.municipal_rate_bp = rates_on(session, doc.date)
    t = totals_for(doc, lines)
    for line, lt in zip(lines, t.lines, strict=True):
        amounts = (lt.gross, lt.discount, lt.net, lt.document_discount, lt.taxable, lt.vat, lt.municipal, lt.total)
        state = inspect(line)
        if state.persistent and not session.is_modified(line) and \
                tuple(getattr(line, name) for name in LINE_AMOUNTS) == amounts:
            continue  # nothing of this line changes (issuing with the same rates): no write
        for name, value in zip(LINE_AMOUNTS, amounts, strict=True):
            setattr(line, name, value)
            if state.persistent:
                # A changed line writes all its amounts, not only those that moved: the lines'
                # UPDATEs then share their columns and go as one executemany, not one per shape.
                flag_modified(line, name)
    doc.net_amount, doc.discount_amount = t.net, t.document_discount
    doc.vat_amount, doc.municipal_amount, doc.grand_total = t.vat, t.municipal, t.grand_total
    if isinstance(doc, Invoice):
        if doc.state == "void":
            doc.balance = 0
        else:
            if t.grand_total < (doc.received or 0):
                raise FormErrors({"__all__": InputError(
                    "The invoice would total less than what was already received")})
            doc.balance = t.grand_total - (doc.received or 0)
    return t


def check_editable(actor: Actor, doc: Proforma | Invoice) -> None:
    """May ``actor`` change this document's header or lines now? Drafts (and issued proformas)
    with the resource's edit permission; an issued invoice only with ``finance.invoice.edit_issued``
    (FAQ 44); a void invoice, a converted or cancelled proforma never."""
    if isinstance(doc, Invoice):
        if doc.state == "void":
            raise Conflict("A void invoice cannot be changed")
        if doc.state == "issued" and not actor.can("finance.invoice.edit_issued"):
            raise Conflict("Editing an issued invoice needs the permission to edit issued invoices")
    elif doc.state in ("converted", "cancelled"):
        raise Conflict("A converted or cancelled proforma cannot be changed")


def note_history(session: Session, doc: Any, changes: dict[str, list[Any]]) -> None:
    """A line's change in its document's history (the lines have no page of their own); any
    document with a table and an id (a proforma, an invoice, a purchase)."""
    session.execute(insert(History), [{
        "table_name": doc.__tablename__, "record_id": doc.id, "action": "update",
        "user_id": acting_user_id(session), "at": utcnow(),
        "changes": json.dumps(changes, ensure_ascii=False, default=str)}])


_DEFERRED = "finance.header_recompute_deferred"


@contextmanager
def header_recompute_deferred(session: Session) -> Iterator[None]:
    """Inside, a header saved through its resource is not recomputed by :func:`header_changed`:
    the caller (``drafts.create_document``) recomputes it once, with its lines, right after."""
    session.info[_DEFERRED] = True
    try:
        yield
    finally:
        session.info.pop(_DEFERRED, None)


def column_defaults(doc: Any) -> None:
    """A new header's column defaults (a draft, no document discount, no shipping …) set now:
    SQLAlchemy sets them only at the INSERT, and the rules and the totals read them before."""
    for attr in inspect(type(doc)).column_attrs:
        default = attr.columns[0].default
        if attr.key not in doc.__dict__ and default is not None and default.is_scalar:
            setattr(doc, attr.key, default.arg)


def complete_header(doc: Any, *, session: Session, **_: Any) -> None:
    """``Resource.complete`` of proformas and invoices: a new header goes in with the rates of
    its date and its totals (shipping, no lines yet) in its one INSERT, not updated after it.
    ``drafts.create_document`` completes it itself, with its lines."""
    if session.info.get(_DEFERRED):
        return
    column_defaults(doc)
    recompute(session, doc, [])


def header_changed(kernel: Any, session: Session, event: Any) -> None:
    """The header was saved through the resource's form or API: its totals follow (a new date
    brings a draft the rates of that date), and a change to an issued invoice is announced. A
    new header was completed before its INSERT (:func:`complete_header`)."""
    if session.info.get(_DEFERRED) or event.action == "create":
        return
    doc = session.get(Invoice, event.record_id) if event.resource == INVOICE.name \
        else session.get(Proforma, event.record_id)
    if doc is None:
        return
    recompute(session, doc)
    session.flush()
    if isinstance(doc, Invoice) and doc.state == "issued" and event.action == "update":
        from modules.finance.events import InvoiceChanged

        kernel.emit(InvoiceChanged(doc.id, doc.grand_total, doc.balance), session)
