"""The customer statement on the web (FIN-12): ``/finance/partner/<id>/statement`` (the page),
``…/statement.pdf`` and ``…/statement.xlsx``, for a Jalali period (``from``, ``until``; this
Jalali year when empty).

Permission ``finance.invoice.view`` (the route's), the partner through its record scope (a
partner the user may not see is a 404, as if missing) and the documents through theirs (the
service). The PDF also needs ``finance.invoice.print`` and the xlsx ``finance.invoice.export``,
as the reports' downloads do. A bad period (letters, an end before the start) is the page again
with the Persian message on its field and a 400 — also when a download was asked for.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kernel import NotFound, PermissionDenied, Route
from kernel.documents import download_headers, render_pdf, write_xlsx
from kernel.persian.jalali import format_jalali
from kernel.persian.numbers import format_code
from kernel.records import FormErrors, get_record
from kernel.timezone import local_today
from kernel.web.forms import error_text
from kernel.web.templating import render, request_lang
from modules.finance.models.cheque import CHEQUE_STATES
from modules.finance.services.statement import Statement, period, statement
from modules.finance.services.statement_sources import kind_labels

VIEW, PRINT, EXPORT = "finance.invoice.view", "finance.invoice.print", "finance.invoice.export"
COLUMNS = ["Date", "Description", "Number", "Cheque, slip or trace number", "Debit (Rials)", "Credit (Rials)",
           "Balance (Rials)"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _load(request: Request) -> tuple[Any, Statement | None, dict[str, str], dict[str, str]]:
    """(partner, statement or None when the period is refused, the typed period, errors)."""
    kernel = request.app.state.kernel
    actor = request.state.actor
    typed = {k: request.query_params.get(k, "") for k in ("from", "until")}
    with kernel.sessions() as session:
        try:
            partner = get_record(kernel, session, actor, kernel.resources["base.partner"],
                                 request.path_params["id"], "view")
        except PermissionDenied:  # outside the scope: not told apart from missing
            raise NotFound() from None
        session.expunge(partner)
        try:
            first, last = period(typed["from"], typed["until"], local_today(kernel.config.timezone))
        except FormErrors as exc:
            return partner, None, typed, {k: error_text(request, e) for k, e in exc.errors.items()}
        return partner, statement(kernel, session, actor, partner.id, first, last), typed, {}


def _context(request: Request, partner: Any, st: Statement | None, typed: dict[str, str],
             errors: dict[str, str]) -> dict[str, Any]:
    base = f"/finance/partner/{partner.id}/statement"
    query = "&".join(f"{k}={v}" for k, v in typed.items() if v)
    return {"partner": partner, "st": st, "typed": typed, "errors": errors, "kinds": kind_labels(),
            "states": dict(CHEQUE_STATES), "base": base, "query": f"?{query}" if query else "",
            "may_pdf": request.state.actor.can(PRINT), "may_xlsx": request.state.actor.can(EXPORT)}


def page(request: Request) -> Response:
    partner, st, typed, errors = _load(request)
    return render(request, "finance/statement.html", _context(request, partner, st, typed, errors),
                  400 if errors else 200)


def _title(kernel: Any, lang: str, partner: Any) -> str:
    return str(kernel.t(lang, "Statement of {name}", name=partner.name))


def download(permission: str, ext: str) -> Any:
    """A download of the statement (``pdf`` or ``xlsx``): the permission of that kind of file,
    the page again (400) for a refused period, else the file named "Statement of … <day>"."""

    def view(request: Request) -> Response:
        if not request.state.actor.can(permission):
            raise PermissionDenied(permission)
        partner, st, typed, errors = _load(request)
        if st is None:
            return page(request)
        kernel = request.app.state.kernel
        lang = request_lang(request)
        title = _title(kernel, lang, partner)
        headers = download_headers(title, ext, local_today(kernel.config.timezone), lang, "finance.statement")
        if ext == "xlsx":
            body = write_xlsx([kernel.t(lang, c) for c in COLUMNS], sheet_rows(kernel, lang, st), rtl=lang == "fa",
                              title=title)
            return Response(body, media_type=XLSX, headers=headers)
        with kernel.sessions() as session:
            company = kernel.letterhead(session)
        html = request.app.state.jinja.get_template("finance/statement_pdf.html").render(
            lang=lang, money_unit=request.state.actor.money_unit, tz=kernel.config.timezone, company=company,
            title=title, **_context(request, partner, st, typed, errors))
        # Shown in the browser's viewer (to print or save), as the documents' PDFs are.
        headers["content-disposition"] = headers["content-disposition"].replace("attachment", "inline", 1)
        return Response(render_pdf(html, kernel.static_dirs()), media_type="application/pdf", headers=headers)

    return view


def sheet_rows(kernel: Any, lang: str, st: Statement) -> list[list[Any]]:
    """The statement as spreadsheet rows: amounts stay numbers (Rials), dates Jalali text; the
    memo below the balance, after an empty row."""
    t = kernel.t
    kinds, states = kind_labels(), dict(CHEQUE_STATES)
    rows: list[list[Any]] = [[format_jalali(st.first, lang), t(lang, "Balance at the start of the period"), "", "", None, None, st.opening]]
    for r in st.rows:
        rows.append([format_jalali(r.day, lang), t(lang, kinds.get(r.kind, r.kind)), format_code(r.reference, lang),
                     format_code(r.detail, lang), r.debit or None, r.credit or None, r.balance])
    rows.append([format_jalali(st.last, lang), t(lang, "Closing balance"), "", "", st.debits, st.credits, st.closing])
    if st.cheques or st.promises:
        rows.append([])
        rows.append(["", t(lang, "Memo: not in the balance"), "", "", None, None, None])
    for c in st.cheques:
        rows.append([format_jalali(c.due_date, lang), f"{t(lang, 'Cheque')} ({t(lang, states.get(c.state, c.state))})",
                     "", format_code(c.number, lang), None, c.amount, None])
    for p in st.promises:
        rows.append([format_jalali(p.day, lang), t(lang, "Credit promise"), format_code(p.invoice_number, lang), "",
                     None, p.amount, None])
    return rows


def routes() -> list[Route]:
    return [
        Route("/partner/{id:int}/statement", page, methods=["GET"], permission=VIEW, name="partner_statement"),
        Route("/partner/{id:int}/statement.pdf", download(PRINT, "pdf"), methods=["GET"], permission=VIEW,
              name="partner_statement_pdf"),
        Route("/partner/{id:int}/statement.xlsx", download(EXPORT, "xlsx"), methods=["GET"], permission=VIEW,
              name="partner_statement_xlsx"),
    ]
