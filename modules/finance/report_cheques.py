"""Report: cheques by state and due date (FIN-09, issue 12's reports): every cheque the user may
see, grouped by state in the order of a cheque's life, by due date within a state, each state
closed by a row of its count and Rial total, and a grand total; filtered by state and by a Jalali
period of due dates. Read through the record scope (a cheque is as visible as its customer) along
the due-date index (``ix_finance_cheque_due``); the totals come from a ``GROUP BY`` of their own,
so they stay exact when the listing stops at its 5,000 rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func

from kernel import InputError, Report, ReportParam
from kernel.persian.jalali import format_jalali
from kernel.persian.numbers import format_code
from kernel.persian.textnorm import to_persian_digits
from modules.base.models import Partner
from modules.finance.models import Bank, Cheque
from modules.finance.models.cheque import CHEQUE_STATES

LIMIT = 5000
ALL = ""
TITLES = ["State", "Due date", "Cheque number", "Customer", "Bank", "Amount (Rials)"]


def digits(n: int, lang: str) -> str:
    return to_persian_digits(str(n)) if lang == "fa" else str(n)


def state_choices(**_: Any) -> list[tuple[str, str]]:
    return [(ALL, "All states"), *CHEQUE_STATES]


def cheques_by_state(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str,
                     **_: Any) -> tuple[list[str], list[list[Any]]]:
    state = params.get("state", ALL)
    labels = dict(CHEQUE_STATES)
    if state and state not in labels:
        raise InputError("Choose one of the states")
    from modules.finance.reports import _period

    first, last = _period(params, "due_from", "due_to")
    base = kernel.scoped_select(actor, Cheque)
    if state:
        base = base.where(Cheque.state == state)
    if first is not None:
        base = base.where(Cheque.due_date >= first)
    if last is not None:
        base = base.where(Cheque.due_date <= last)
    order = case({code: i for i, (code, _label) in enumerate(CHEQUE_STATES)}, value=Cheque.state, else_=99)
    listed = (base.with_only_columns(Cheque.state, Cheque.due_date, Cheque.number, Partner.name, Bank.name,
                                     Cheque.amount)
              .join(Partner, Partner.id == Cheque.partner_id).join(Bank, Bank.id == Cheque.bank_id)
              .order_by(order, Cheque.due_date, Cheque.id).limit(LIMIT))
    totals = {s: (int(n), int(total or 0)) for s, n, total in session.execute(
        base.with_only_columns(Cheque.state, func.count(), func.sum(Cheque.amount)).group_by(Cheque.state))}
    rows: list[list[Any]] = []
    current: str | None = None

    def close(code: str) -> None:
        n, total = totals.get(code, (0, 0))
        rows.append([kernel.t(lang, "Total of {state}", state=kernel.t(lang, labels.get(code, code))), "",
                     kernel.t(lang, "{n} cheques", n=digits(n, lang)), "", "", total])

    for code, due, number, customer, bank, amount in session.execute(listed):
        if current is not None and code != current:
            close(current)
        current = code
        rows.append([kernel.t(lang, labels.get(code, code)), format_jalali(due, lang), format_code(number, lang),
                     customer, bank, int(amount)])
    if current is not None:
        close(current)
        count = sum(n for n, _t in totals.values())
        rows.append([kernel.t(lang, "Total"), "", kernel.t(lang, "{n} cheques", n=digits(count, lang)), "",
                     "", sum(t for _n, t in totals.values())])
    return TITLES, rows


REPORT = Report("finance.cheques_by_state", "Cheques by state and due date", cheques_by_state, "finance.cheque.view",
                params=(ReportParam("state", "State", "choice", state_choices),
                        ReportParam("due_from", "Due from", "date"), ReportParam("due_to", "Due until", "date")),
                sequence=55)
