"""A document's life: issue (it takes its number), convert a proforma into its one invoice,
cancel a proforma, void an invoice. Each runs inside the caller's transaction: if anything after
the number fails, the number goes back with everything else (gapless)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from kernel import Actor, Conflict, InputError, PermissionDenied
from kernel.db import utcnow
from kernel.records import FormErrors
from modules.finance.customer_totals import counted_now
from modules.finance.events import (
    InvoiceIssued,
    InvoiceVoided,
    ProformaCancelled,
    ProformaConverted,
    ProformaIssued,
)
from modules.finance.fiscal_guard import refuse_closed
from modules.finance.models import Invoice, InvoiceLine, Product, Proforma, ProformaLine
from modules.finance.models.document_base import HEADER_COPIED, LINE_COPIED
from modules.finance.numbers import next_number
from modules.finance.services.commissions import RATES, give_rates
from modules.finance.services.documents import (
    INVOICE,
    PROFORMA,
    lines_known,
    lines_of,
    recompute,
)
from modules.finance.services.drafts import create_document, load


def _issue(kernel: Any, session: Session, doc: Proforma | Invoice, series: str) -> list[Any]:
    """Number the draft and keep its rates; its lines (read once: handlers of the issue get them)."""
    lines = lines_of(session, doc)
    if not lines:
        raise Conflict("A document without lines cannot be issued")
    refuse_closed(kernel, session, __all__=doc.date)  # -- fiscal year
    recompute(session, doc, lines)  # the rates in force on its date, now kept
    doc.number = next_number(session, series, doc.date)
    doc.state = "issued"
    doc.issued_at = utcnow()
    session.flush()
    return lines


def _issue_draft(kernel: Any, session: Session, actor: Actor, doc_type: Any, doc_id: int, event: Any) -> Any:
    doc = load(kernel, session, actor, doc_type, doc_id)
    if doc.state != "draft":
        raise Conflict("Only a draft can be issued")
    lines = _issue(kernel, session, doc, doc_type.name)
    with lines_known(session, doc, lines):  # commissions and the average cost ask for them
        kernel.emit(event(doc.id, doc.number or "", doc.partner_id, doc.grand_total), session)
    return doc


def issue_proforma(kernel: Any, session: Session, actor: Actor, proforma_id: int) -> Proforma:
    return _issue_draft(kernel, session, actor, PROFORMA, proforma_id, ProformaIssued)


def issue_invoice(kernel: Any, session: Session, actor: Actor, invoice_id: int) -> Invoice:
    return _issue_draft(kernel, session, actor, INVOICE, invoice_id, InvoiceIssued)


def invoice_directly(kernel: Any, session: Session, actor: Actor, header: Mapping[str, Any],
                     lines: Sequence[Mapping[str, Any]]) -> Invoice:
    """An invoice without a proforma (FAQ 25), written and issued in one transaction."""
    doc = create_document(kernel, session, actor, INVOICE, header, lines)
    return issue_invoice(kernel, session, actor, doc.id)


def convert(kernel: Any, session: Session, actor: Actor, proforma_id: int) -> Invoice:
    """The proforma's one invoice, with identical lines and totals (FIN-06).

    Exactly once, whoever clicks and however often: the proforma is claimed by one conditional
    UPDATE (``converted_invoice_id IS NULL`` and still draft or issued) whose returned row says
    who won — on PostgreSQL a second converter waits for the first's row lock and then finds the
    condition false; on SQLite writers take turns — and the database's unique key on
    ``finance_invoice.proforma_id`` refuses a second invoice whatever path made it. The claim also
    returns the ids of the invoice and of its lines (:func:`_new_ids`): the invoice and the
    proforma's link to it are then written by one flush, with one history INSERT for both, and the
    lines by an INSERT that returns nothing."""
    if not actor.can("finance.proforma.convert") or not actor.can("finance.invoice.create"):
        raise PermissionDenied("finance.proforma.convert")
    # Loaded before in this session: its attributes may be older than the row locked below.
    held = session.identity_key(Proforma, proforma_id) in session.identity_map
    pf = load(kernel, session, actor, PROFORMA, proforma_id, "view")
    refuse_closed(kernel, session, __all__=pf.date)  # -- fiscal year: the invoice takes its date
    was_draft = pf.state == "draft"
    now = utcnow()
    # The lines with their products' commission rates, which the invoice's lines keep (FIN-13):
    # one read, and the lines go in with their rates (no UPDATE of them after). Read before the
    # claim (the proforma is locked already), which takes as many line ids.
    read = session.execute(_lines_with_rates(), {"doc": pf.id}).all()
    dialect = session.get_bind().dialect.name
    claimed = session.execute(
        update(Proforma).where(Proforma.id == pf.id, Proforma.converted_invoice_id.is_(None),
                               Proforma.state.in_(("draft", "issued")), Proforma.deleted_at.is_(None))
        .values(state="converted", updated_at=now).returning(*_new_ids(dialect, len(read)))
        .execution_options(synchronize_session=False)).first()
    if claimed is None:
        raise Conflict("This proforma has already been converted into an invoice")
    invoice_id, line_ids = int(claimed[0]), _line_ids(claimed[1], len(read))
    if held:
        session.refresh(pf)
    else:  # read just now, under the row's lock: only what the claim wrote is new
        set_committed_value(pf, "state", "converted")
        set_committed_value(pf, "updated_at", now)
    lines = [row[0] for row in read]
    if not lines:
        raise Conflict("A document without lines cannot be issued")
    if pf.number is None:  # a draft converted at once is issued on the way
        pf.number = next_number(session, PROFORMA.name, pf.date)
        pf.issued_at = now
    # The invoice is written issued, with its number and amounts, by one INSERT (and its lines by
    # another): nothing is written twice. Its amounts are the proforma's, recomputed only to check
    # that they are (the same function over the same lines; no rate is read for an issued one).
    inv = Invoice(**{n: getattr(pf, n) for n in HEADER_COPIED}, id=invoice_id, date=pf.date, proforma_id=pf.id,
                  invoice_type="service" if pf.kind == "service" else "sale", state="issued")
    copies = []
    for (line, *rates), line_id in zip(read, line_ids, strict=True):
        copy = InvoiceLine(**{n: getattr(line, n) for n in LINE_COPIED}, id=line_id, invoice_id=invoice_id)
        give_rates(copy, (rates[0], rates[1]))
        copies.append(copy)
    t = recompute(session, inv, copies)
    assert t.grand_total == pf.grand_total, "a converted invoice must total what its proforma did"
    inv.number = next_number(session, INVOICE.name, inv.date)
    inv.issued_at = now
    session.add(inv)
    pf.converted_invoice_id = invoice_id
    session.flush()  # the invoice first: its lines' key names it (no relationship orders them)
    session.add_all(copies)
    session.flush()
    if was_draft:  # the claim's UPDATE made it count, out of the ORM's sight
        counted_now(session.connection(), Proforma, pf)
    kernel.emit(ProformaConverted(pf.id, inv.id), session)
    with lines_known(session, inv, copies):  # commissions and the average cost ask for them
        kernel.emit(InvoiceIssued(inv.id, inv.number, inv.partner_id, inv.grand_total, proforma_id=pf.id), session)
    return inv


def _new_ids(dialect: str, lines: int) -> tuple[Any, Any]:
    """What the claim returns for the ids of the invoice and of its ``lines`` lines (taken by the
    claim, so its invoice needs no RETURNING and its lines go in by one executemany of a short
    statement): on PostgreSQL the next values of the tables' sequences; on SQLite, whose ids are
    max(id) + 1, the largest ids now (the write transaction holds the database's lock from its
    first statement: nobody else takes the next ones, as ``kernel.db.number_new_rows`` says)."""
    if dialect == "postgresql":
        def next_of(table: str) -> Any:
            return func.nextval(func.pg_get_serial_sequence(table, "id"))

        return (next_of(Invoice.__tablename__),
                select(func.array_agg(next_of(InvoiceLine.__tablename__)))
                .select_from(func.generate_series(1, lines)).scalar_subquery())
    return (select(func.coalesce(func.max(Invoice.id), 0) + 1).scalar_subquery(),
            select(func.coalesce(func.max(InvoiceLine.id), 0)).scalar_subquery())


def _line_ids(found: Any, lines: int) -> list[int]:
    """The lines' ids from what :func:`_new_ids` returned, in ascending order."""
    if found is None or isinstance(found, list):  # PostgreSQL's array (none for no line)
        return sorted(int(i) for i in found or ())
    return list(range(int(found) + 1, int(found) + 1 + lines))


@cache
def _lines_with_rates() -> Any:
    """A proforma's lines in order (as ``lines_of``), each with its product's :data:`RATES`."""
    return (select(ProformaLine, *RATES).outerjoin(Product, Product.id == ProformaLine.product_id)
            .where(ProformaLine.proforma_id == bindparam("doc"))
            .order_by(ProformaLine.position, ProformaLine.id))


def cancel_proforma(kernel: Any, session: Session, actor: Actor, proforma_id: int, reason: str) -> Proforma:
    doc = load(kernel, session, actor, PROFORMA, proforma_id)
    if not (reason or "").strip():
        raise FormErrors({"reason": InputError("Give the reason")})
    if doc.state not in ("draft", "issued"):
        raise Conflict("A converted or cancelled proforma cannot be changed")
    # -- fiscal year: cancelling is allowed in a closed year. An open proforma carried from it can
    # no longer be converted (its invoice would be dated in the closed year) and touches no money:
    # cancelling is how it leaves the list of open offers; the customer gets a new proforma.
    # Kept to the column (the form says 300; a longer post must not fail on PostgreSQL).
    doc.state, doc.cancel_reason = "cancelled", reason.strip()[:300]
    session.flush()
    kernel.emit(ProformaCancelled(doc.id, doc.cancel_reason or ""), session)  # -- inventory: its reservation ends
    return doc


def void_invoice(kernel: Any, session: Session, actor: Actor, invoice_id: int, reason: str) -> Invoice:
    """FAQ 3: an invoice is never deleted nor zeroed: it is marked void with a reason and keeps
    its number (never taken again). Money received must be given back first."""
    doc = load(kernel, session, actor, INVOICE, invoice_id, "delete")
    if not (reason or "").strip():
        raise FormErrors({"reason": InputError("Give the reason")})
    if doc.state != "issued":
        raise Conflict("Only an issued invoice can be voided")
    refuse_closed(kernel, session, __all__=doc.date)  # -- fiscal year: said before anything else
    if doc.received:
        raise Conflict("Money was received against this invoice: remove its receipts first")
    doc.state, doc.void_reason, doc.voided_at, doc.balance = "void", reason.strip()[:300], utcnow(), 0
    session.flush()
    kernel.emit(InvoiceVoided(doc.id, doc.number or "", doc.void_reason or ""), session)
    return doc
