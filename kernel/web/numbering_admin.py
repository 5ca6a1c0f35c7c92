"""Document number series in the administration: each declared series with its prefix, padding
and next number in the current fiscal year; the prefix and padding are changed here.

A change applies to numbers taken afterwards: numbers already given keep their prefix, and the
counter goes on (changing the prefix does not restart the count)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kernel import numbering
from kernel.errors import InputError
from kernel.routing import Route
from kernel.timezone import local_today
from kernel.web.forms import error_text, form, redirect
from kernel.web.templating import render

PERM = "kernel.admin.numbering"


def page(request: Request, error: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    year = numbering.fiscal_year(local_today(kernel.config.timezone))
    with kernel.sessions() as session:
        taken = numbering.next_values(session, year)
        rows = []
        for series in kernel.number_series.values():
            style = numbering.style_of(session, series)
            following = taken.get(series.key, 1)
            rows.append({"series": series, "style": style, "next": following,
                         "sample": style.format(year, following)})
    return render(request, "kernel/admin/numbering.html", {
        "rows": rows, "year": year, "error": error, "saved": request.query_params.get("saved", ""),
        "low": numbering.MIN_PADDING, "high": numbering.MAX_PADDING,
    }, status)


def save(request: Request) -> Response:
    kernel = request.app.state.kernel
    data = form(request)
    series = kernel.number_series.get(str(data.get("series", "")))
    try:
        if series is None:
            raise InputError("No such number series")
        with kernel.session(request.state.actor) as session:
            numbering.set_style(session, series, str(data.get("prefix", "")), str(data.get("padding", "")))
    except InputError as exc:
        return page(request, error_text(request, exc), 400)
    return redirect("/admin/numbering?saved=1")


def routes() -> list[Route]:
    return [
        Route("/admin/numbering", page, methods=["GET"], permission=PERM, name="admin_numbering"),
        Route("/admin/numbering", save, methods=["POST"], permission=PERM, name="admin_numbering_save"),
    ]
