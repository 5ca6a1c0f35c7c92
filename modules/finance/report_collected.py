"""Report: collected per user (issue 12's reports): the money received — the receipts, the one
ledger of money that is ours (cash, deposit slips, POS, cleared cheques) — by the user who
recorded each, over a Jalali period, a column per method and the user's total, the largest
collector first, and a total row. A receipt written by the clearing of a cheque counts for the
user who cleared it. Read through the record scope (a receipt is as visible as its invoice, so as
its customer), narrowed by the receipts' date index; one ``GROUP BY`` statement."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select

from kernel import Report, ReportParam
from kernel.models import User
from modules.finance.models import Receipt
from modules.finance.models.receipt import METHODS

LIMIT = 5000


def collected_per_user(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str,
                       **_: Any) -> tuple[list[str], list[list[Any]]]:
    from modules.finance.reports import _dated, _period

    first, last = _period(params)
    receipts = _dated(kernel.scoped_select(actor, Receipt), Receipt, first, last).subquery()
    sums = [func.sum(case((receipts.c.method == code, receipts.c.amount), else_=0)).label(code) for code, _l in METHODS]
    total = func.sum(receipts.c.amount).label("total")
    grouped = (select(receipts.c.created_by_id.label("uid"), func.count().label("n"), *sums, total)
               .group_by(receipts.c.created_by_id).subquery())
    stmt = (select(grouped, User.full_name, User.username).select_from(grouped)
            .outerjoin(User, User.id == grouped.c.uid)
            .order_by(grouped.c.total.desc(), grouped.c.uid).limit(LIMIT))
    rows: list[list[Any]] = []
    sum_row = [0] * (len(METHODS) + 2)
    for m in (r._mapping for r in session.execute(stmt)):
        who = (m["full_name"] or m["username"]) if m["uid"] is not None else kernel.t(lang, "Not known")
        cells = [int(m["n"]), *(int(m[code] or 0) for code, _l in METHODS), int(m["total"] or 0)]
        rows.append([who, *cells])
        sum_row = [a + b for a, b in zip(sum_row, cells, strict=True)]
    if rows:
        rows.append([kernel.t(lang, "Total"), *sum_row])
    # One title per method of METHODS, in its order (literal msgids, for the catalogue).
    titles = ["User", "Receipts", "Cash (Rials)", "Deposit slip (Rials)", "POS (Rials)", "Cheque (Rials)", "Total (Rials)"]
    return titles, rows


REPORT = Report("finance.collected_per_user", "Collected per user", collected_per_user, "finance.receipt.view",
                params=(ReportParam("from", "From", "date"), ReportParam("to", "Until", "date")), sequence=56)
