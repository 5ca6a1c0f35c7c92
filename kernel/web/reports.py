"""Reports that modules register: a page with their form and table, PDF and xlsx of the same."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from kernel.declarations import Report, ReportPage
from kernel.documents import render_pdf, write_xlsx
from kernel.errors import InputError
from kernel.routing import AUTHENTICATED, Route
from kernel.web.exports import MEDIA, download_headers, pdf_html
from kernel.web.forms import error_text
from kernel.web.templating import render, request_lang

if TYPE_CHECKING:
    from kernel.kernel import Kernel


# A paged report's xlsx and PDF: its rows from the first on, at most this many.
EXPORT_ROWS = 5000


def _run(request: Request, report: Report, export: bool = False) -> tuple[list[str], list[list[Any]], str, str]:
    """(column titles, rows, the next page's cursor, an error to show)."""
    kernel = request.app.state.kernel
    lang = request_lang(request)
    params = {p.name: request.query_params.get(p.name, "").strip() for p in report.params}
    extra: dict[str, Any] = {}
    if report.page_size:
        extra["page"] = (ReportPage("", EXPORT_ROWS) if export
                         else ReportPage(request.query_params.get("after", "").strip()[:200], report.page_size))
    with kernel.sessions() as session:
        try:
            answer = report.query(session=session, actor=request.state.actor, params=params,
                                  kernel=kernel, lang=lang, **extra)
        except InputError as exc:
            return [], [], "", error_text(request, exc)
    columns, rows = answer[0], answer[1]
    following = str(answer[2] or "") if report.page_size else ""
    return [kernel.t(lang, c) for c in columns], rows, following, ""


def may_read(actor: Any, report: Report) -> bool:
    """The report's own grant and the permission of the data it reads."""
    return bool(actor.can(report.grant) and actor.can(report.permission))


def may_export(kernel: Any, actor: Any, report: Report, fmt: str) -> bool:
    """A report's xlsx needs the export permission, its PDF the print permission, of the data it
    reads (``base.partner.view`` → ``base.partner.export`` / ``.print``), as a list's exports do."""
    action = {"xlsx": "export", "pdf": "print"}.get(fmt)
    if action is None:
        return False
    needed = f"{report.permission.rpartition('.')[0]}.{action}"
    return bool(needed not in kernel.permissions or actor.can(needed))


def make_views(report: Report) -> dict[str, Callable[[Request], Awaitable[Response]]]:
    async def page(request: Request) -> Response:
        if not may_read(request.state.actor, report):
            return await request.app.state.forbidden(request)
        return await run_in_threadpool(_page, request)

    async def export(request: Request) -> Response:
        actor = request.state.actor
        if not may_read(actor, report) or not may_export(request.app.state.kernel, actor, report,
                                                         request.path_params["fmt"]):
            return await request.app.state.forbidden(request)
        return await run_in_threadpool(_export, request)

    def _page(request: Request) -> Response:
        kernel = request.app.state.kernel
        columns, rows, following, error = _run(request, report)
        with kernel.sessions() as session:
            choices = {p.name: p.choices(session=session, actor=request.state.actor) if p.choices else None
                       for p in report.params}
        values = {p.name: request.query_params.get(p.name, "") for p in report.params}
        return render(request, "kernel/report.html", {
            "report": report, "columns": columns, "rows": rows, "error": error, "choices": choices,
            "values": dict(request.query_params), "query": urlencode(values),
            # The following page keeps the form's values; the first is the form's own address.
            "next_page": urlencode({**values, "after": following}) if following else "",
            "first_page": urlencode(values) if report.page_size and request.query_params.get("after") else None,
            "can_xlsx": may_export(kernel, request.state.actor, report, "xlsx"),
            "can_pdf": may_export(kernel, request.state.actor, report, "pdf"),
        }, 400 if error else 200)

    def _export(request: Request) -> Response:
        kernel = request.app.state.kernel
        fmt = request.path_params["fmt"]
        if fmt not in ("xlsx", "pdf"):
            return Response(status_code=404)
        columns, rows, _following, error = _run(request, report, export=True)
        if error:
            return Response(error, status_code=400)
        lang = request_lang(request)
        title = kernel.t(lang, report.label)
        if fmt == "xlsx":
            body = write_xlsx(columns, rows, rtl=lang == "fa", title=title)
        else:
            body = render_pdf(pdf_html(request, title, columns, rows), kernel.static_dirs())
        return Response(body, media_type=MEDIA[fmt], headers=download_headers(request, title, fmt, report.key))

    return {"page": page, "export": export}


def index(request: Request) -> Response:
    kernel = request.app.state.kernel
    visible = [r for r in kernel.reports.values() if may_read(request.state.actor, r)]
    return render(request, "kernel/reports.html", {"reports": visible})


def routes(kernel: Kernel) -> list[Route]:
    out = [Route("/reports/", index, methods=["GET"], permission=AUTHENTICATED, name="reports")]
    for report in kernel.reports.values():
        v = make_views(report)
        out += [
            Route(f"/reports/{report.key}", v["page"], methods=["GET"], permission=report.grant,
                  name=f"report:{report.key}"),
            Route(f"/reports/{report.key}.{{fmt:str}}", v["export"], methods=["GET"], permission=report.grant,
                  name=f"report:{report.key}:export"),
        ]
    return out
