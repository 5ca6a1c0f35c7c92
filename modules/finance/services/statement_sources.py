"""Where a customer statement's rows come from (FIN-12): a small list of **sources**, each one
SELECT of the partner's movements with the same columns:

``day`` (date), ``ord`` (the order of rows of one day: a debit before the money against it),
``rid`` (the row's id in its table, for a stable order), ``kind`` (what the row is: ``invoice``,
``void`` or a receipt's method ``cash`` / ``slip`` / ``pos`` / ``cheque``), ``reference`` (the
document's number), ``detail`` (the cheque's number, the slip's number, the POS trace number),
``link`` (the page of the row's record), ``debit`` and ``credit`` (integer Rials).

A source is called with the kernel, the actor, the partner and an optional inclusive date range,
and applies the actor's record scope itself. The partner and the days are bind parameters (the
statement builds each source once per actor and runs it for any partner and period), so a
source compares them in SQL and never reads their values. Another part of finance (purchase invoices and what
we pay suppliers) adds its movements by appending a :class:`Source` to :data:`SOURCES`: the
statement, its opening balance, its PDF and xlsx read every source the same way.

The rule for a **voided invoice** (FAQ 3): void in Peyvand means the invoice never took effect
(money received must be removed before voiding; a sale returned is not a void). The statement
keeps its number in sight — gapless numbering is what an auditor checks — as a debit on its date
and, right below it on the same date, its reversal "Voided" as a credit: the two net to zero, so
no balance ever includes it.

Receipts are the one ledger of money received (``finance_receipt``: cash, deposit slips, POS,
cleared cheques); a receipt belongs to its invoice, so it is as visible as its invoice — the
same rule the invoice's own ``balance`` follows, which makes the statement's closing balance the
sum of the visible invoices' balances.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Select, String, and_, case, cast, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from modules.finance.models import Cheque, Invoice, Payment, Purchase, PurchasePayment, Receipt
from modules.finance.models.receipt import METHODS

# Invoices that ever took effect: an issued one, or a voided one (shown and reversed).
ON_STATEMENT = ("issued", "void")


@dataclass(frozen=True)
class Source:
    """One kind of movement on a statement: ``select(kernel, actor, partner_id, first, last)``
    gives the rows (columns in the module's docstring) between ``first`` and ``last`` inclusive,
    either of which may be None (open); ``kinds`` names each ``kind`` it gives (English msgids)."""

    key: str
    select: Callable[[Any, Any, Any, Any, Any], Select[Any]]
    kinds: tuple[tuple[str, str], ...]


def _between(day: Any, first: Any, last: Any) -> list[ColumnElement[bool]]:
    out = []
    if first is not None:
        out.append(day >= first)
    if last is not None:
        out.append(day <= last)
    return out


def _link(prefix: str, rid: Any) -> Any:
    return (literal(prefix, String) + cast(rid, String)).label("link")


def _invoices(kernel: Any, actor: Any, partner_id: Any) -> list[ColumnElement[bool]]:
    """The partner's invoices the actor may see (ix_finance_invoice_partner_date)."""
    return [Invoice.partner_id == partner_id, Invoice.deleted_at.is_(None), Invoice.state.in_(ON_STATEMENT),
            *kernel.record_conditions(actor, Invoice, "view")]


def invoices(kernel: Any, actor: Any, partner_id: Any, first: Any, last: Any) -> Select[Any]:
    return select(Invoice.date.label("day"), literal(0).label("ord"), Invoice.id.label("rid"),
                  literal("invoice", String).label("kind"), Invoice.number.label("reference"),
                  literal("", String).label("detail"), _link("/finance/invoice/", Invoice.id),
                  Invoice.grand_total.label("debit"), cast(literal(0), BigInteger).label("credit")
                  ).where(*_invoices(kernel, actor, partner_id), *_between(Invoice.date, first, last))


def voids(kernel: Any, actor: Any, partner_id: Any, first: Any, last: Any) -> Select[Any]:
    return select(Invoice.date.label("day"), literal(1).label("ord"), Invoice.id.label("rid"),
                  literal("void", String).label("kind"), Invoice.number.label("reference"),
                  literal("", String).label("detail"), _link("/finance/invoice/", Invoice.id),
                  cast(literal(0), BigInteger).label("debit"), Invoice.grand_total.label("credit")
                  ).where(*_invoices(kernel, actor, partner_id), Invoice.state == "void",
                          *_between(Invoice.date, first, last))


def receipts(kernel: Any, actor: Any, partner_id: Any, first: Any, last: Any) -> Select[Any]:
    """Money received: the partner's invoices by their index, then each one's receipts by
    ix_finance_receipt_invoice; a cheque's receipt names the cheque's number, a slip its number,
    a POS payment its trace number (through the plan's payment the receipt is the money of)."""
    detail = func.coalesce(case((Receipt.method == "cheque", Cheque.number), (Receipt.method == "slip", Payment.slip_number),
                                (Receipt.method == "pos", Payment.trace_number)), "")
    return (select(Receipt.date.label("day"), literal(2).label("ord"), Receipt.id.label("rid"),
                   Receipt.method.label("kind"), Invoice.number.label("reference"), detail.label("detail"),
                   _link("/finance/receipt/", Receipt.id),
                   cast(literal(0), BigInteger).label("debit"), Receipt.amount.label("credit"))
            .select_from(Invoice)
            .join(Receipt, and_(Receipt.invoice_id == Invoice.id, Receipt.deleted_at.is_(None)))
            .outerjoin(Payment, Payment.id == Receipt.payment_id)
            .outerjoin(Cheque, Cheque.id == Payment.cheque_id)
            .where(*_invoices(kernel, actor, partner_id), *_between(Receipt.date, first, last)))


# -- the supplier side (FIN-18): what we bought from the partner is owed *to* it (a credit), what we
# paid it a debit, so one balance reads "what the partner owes us" for a customer who also sells to
# us. A voided purchase is shown and reversed like a voided invoice; a payment cancelled (its cheque
# bounced or was returned) leaves, as a deleted receipt does.
PURCHASED = ("posted", "void")


def _purchases(kernel: Any, actor: Any, partner_id: Any) -> list[ColumnElement[bool]]:
    return [Purchase.partner_id == partner_id, Purchase.deleted_at.is_(None), Purchase.state.in_(PURCHASED),
            *kernel.record_conditions(actor, Purchase, "view")]


def purchases(kernel: Any, actor: Any, partner_id: Any, first: Any, last: Any) -> Select[Any]:
    return select(Purchase.date.label("day"), literal(0).label("ord"), Purchase.id.label("rid"),
                  literal("purchase", String).label("kind"), Purchase.number.label("reference"),
                  func.coalesce(Purchase.supplier_number, "").label("detail"), _link("/finance/purchase/", Purchase.id),
                  cast(literal(0), BigInteger).label("debit"), Purchase.grand_total.label("credit")
                  ).where(*_purchases(kernel, actor, partner_id), *_between(Purchase.date, first, last))


def purchase_voids(kernel: Any, actor: Any, partner_id: Any, first: Any, last: Any) -> Select[Any]:
    return select(Purchase.date.label("day"), literal(1).label("ord"), Purchase.id.label("rid"),
                  literal("purchase_void", String).label("kind"), Purchase.number.label("reference"),
                  literal("", String).label("detail"), _link("/finance/purchase/", Purchase.id),
                  Purchase.grand_total.label("debit"), cast(literal(0), BigInteger).label("credit")
                  ).where(*_purchases(kernel, actor, partner_id), Purchase.state == "void",
                          *_between(Purchase.date, first, last))


def supplier_payments(kernel: Any, actor: Any, partner_id: Any, first: Any, last: Any) -> Select[Any]:
    """What we paid the partner against its purchases (cash, transfer, its customer's cheque endorsed,
    our cheque), as visible as the purchase."""
    detail = func.coalesce(case((PurchasePayment.cheque_id.is_not(None), Cheque.number)), PurchasePayment.reference, "")
    return (select(PurchasePayment.date.label("day"), literal(2).label("ord"), PurchasePayment.id.label("rid"),
                   literal("paid_supplier", String).label("kind"), Purchase.number.label("reference"),
                   detail.label("detail"), _link("/finance/purchase/", Purchase.id),
                   PurchasePayment.amount.label("debit"), cast(literal(0), BigInteger).label("credit"))
            .select_from(Purchase)
            .join(PurchasePayment, and_(PurchasePayment.purchase_id == Purchase.id,
                                        PurchasePayment.deleted_at.is_(None), PurchasePayment.cancelled_on.is_(None)))
            .outerjoin(Cheque, Cheque.id == PurchasePayment.cheque_id)
            .where(*_purchases(kernel, actor, partner_id), *_between(PurchasePayment.date, first, last)))


SOURCES: list[Source] = [
    Source("finance.invoice", invoices, (("invoice", "Invoice"),)),
    Source("finance.void", voids, (("void", "Invoice voided"),)),
    Source("finance.receipt", receipts, tuple(METHODS)),
    Source("finance.purchase", purchases, (("purchase", "Purchase invoice"),)),
    Source("finance.purchase_void", purchase_voids, (("purchase_void", "Purchase invoice voided"),)),
    Source("finance.purchase_payment", supplier_payments, (("paid_supplier", "Payment to a supplier"),)),
]


def kind_labels() -> dict[str, str]:
    """What each row's ``kind`` is called, over every source (English msgids)."""
    return {kind: label for source in SOURCES for kind, label in source.kinds}
