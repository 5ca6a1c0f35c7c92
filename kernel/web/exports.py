"""xlsx / csv / PDF export of a resource list, with the same filters, search and scope as the page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kernel import documents, records
from kernel.documents import render_pdf, write_csv, write_xlsx
from kernel.errors import InputError, PermissionDenied
from kernel.persian.numbers import format_number
from kernel.persian.textnorm import to_ascii_digits
from kernel.records import ListQuery
from kernel.resources import Resource
from kernel.timezone import local_today
from kernel.web.cells import chosen_columns, display, ref_titles
from kernel.web.forms import tr
from kernel.web.gregorian import PDF_SETTING as PDF_GREGORIAN
from kernel.web.templating import request_lang

PDF_MAX_ROWS = 2000
SHEET_MAX_ROWS = 200_000
BATCH = 1000
MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


def _rows(request: Request, res: Resource, q: ListQuery, action: str, cap: int, cols: list[str]) -> Iterator[list[Any]]:
    """All matching rows in keyset batches, so a big export never loads everything at once."""

    kernel = request.app.state.kernel
    actor = request.state.actor
    sent = 0
    with kernel.sessions() as session:
        q.limit = BATCH
        q.count = False
        while sent < cap:
            page = records.list_records(kernel, session, actor, res, q, action=action)
            refs = ref_titles(kernel, session, res, page.items, cols, actor)
            for obj in page.items[: cap - sent]:
                yield [_typed(request, res, obj, c, refs) for c in cols]
                sent += 1
            if not page.next_cursor:
                break
            q.after = page.next_cursor


def _typed(request: Request, res: Resource, obj: Any, name: str, refs: dict[Any, str]) -> Any:

    f = res.all_fields.get(name)
    value = getattr(obj, name)
    if f is not None and value is not None and request.state.export_fmt != "pdf":
        # Numbers stay numbers in a spreadsheet so they can be summed; the rest is shown as on screen.
        if f.kind in ("int", "money"):
            return int(value)
        # A code (a document number) is an identifier other systems look up: ASCII, as stored and
        # as the API gives it, also where a reference is titled by one ("Converted into").
        if f.kind == "code":
            return str(value)
        if f.kind == "ref" and _titled_by_code(request, f.ref):
            return to_ascii_digits(display(request, res, obj, name, refs))
    shown = display(request, res, obj, name, refs)
    if request.state.export_fmt != "pdf" and f is not None and f.icon is not None and not shown:
        # A cell that is only an icon (a flag) exports its text alternative.
        mark = f.icon(value)
        return request.app.state.kernel.t(request_lang(request), mark.label, text="") if mark else ""
    return shown


def _titled_by_code(request: Request, resource: str) -> bool:
    target = request.app.state.kernel.resources.get(resource)
    return target is not None and target.all_fields[target.title_field].kind == "code"


def export(request: Request, res: Resource, fmt: str, ids: tuple[int, ...] = ()) -> Response:

    kernel = request.app.state.kernel
    actor = request.state.actor
    lang = request_lang(request)
    if fmt not in MEDIA:
        return Response(tr(request, "Not found"), status_code=404)
    action = "print" if fmt == "pdf" else "export"
    try:
        records.require(actor, res, action)
    except PermissionDenied:
        return Response(tr(request, "You do not have permission to do this"), status_code=403)
    q = ListQuery.from_params(dict(request.query_params))
    q.ids = ids
    q.after = q.before = ""
    q.last = False
    with kernel.sessions() as session:
        cols = chosen_columns(session, actor, res)
    headers = [kernel.t(lang, res.field(c).label) if c in res.all_fields else kernel.t(lang, c) for c in cols]
    request.state.export_fmt = fmt
    try:
        rows = list(_rows(request, res, q, action, PDF_MAX_ROWS if fmt == "pdf" else SHEET_MAX_ROWS, cols))
    except InputError as exc:
        return Response(tr(request, exc.msgid, **exc.params), status_code=400)
    title = kernel.t(lang, res.label_plural)
    if fmt == "xlsx":
        body = write_xlsx(headers, rows, rtl=lang == "fa", title=title)
    elif fmt == "csv":
        body = write_csv(headers, rows)
    else:
        body = render_pdf(pdf_html(request, title, headers, rows), kernel.static_dirs())
    return Response(body, media_type=MEDIA[fmt], headers=download_headers(request, title, fmt, res.name))


def download_headers(request: Request, title: str, ext: str, fallback: str) -> dict[str, str]:
    """A download named "<title> <Jalali day>.<ext>" in the user's language and the instance's
    today: every list, report and module export names its files the same way."""
    kernel = request.app.state.kernel
    return documents.download_headers(title, ext, local_today(kernel.config.timezone), request_lang(request),
                                      fallback)


def pdf_html(request: Request, title: str, headers: list[str], rows: list[list[Any]]) -> str:
    """The kernel's table PDF with the company's name, logo and footer from the settings."""
    kernel = request.app.state.kernel
    lang = request_lang(request)
    with kernel.sessions() as session:
        company = kernel.letterhead(session)
        gregorian = bool(kernel.setting(session, PDF_GREGORIAN, False))
    env = request.app.state.jinja
    return str(env.get_template("kernel/pdf/table.html").render(
        lang=lang, title=title, company=company, columns=headers, show_gregorian=gregorian,
        rows=[[_cell(c, lang) for c in r] for r in rows]))


def _cell(value: Any, lang: str) -> str:
    """A PDF cell: numbers (a report's counts and Rials) in the page's digits and grouping."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return format_number(value, lang)
    return str(value)


def export_view(res: Resource) -> Callable[[Request], Response]:
    def view(request: Request) -> Response:
        return export(request, res, request.path_params["fmt"])

    return view
