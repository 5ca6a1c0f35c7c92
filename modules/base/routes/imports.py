"""Partner import pages (INT-04), mounted from the importer's generic pages, and the export of
every partner that the import reads back."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kernel import InputError, Route
from kernel.documents import write_xlsx
from kernel.records import ListQuery
from kernel.web.exports import download_headers
from kernel.web.forms import error_text
from kernel.web.templating import request_lang
from modules.base.importer import export
from modules.base.importer.pages import routes_for
from modules.base.importers import PARTNERS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_all(request: Request) -> Response:
    """Every partner the user may export (the list's filters apply), every field and role."""
    kernel = request.app.state.kernel
    actor = request.state.actor
    lang = request_lang(request)
    q = ListQuery.from_params(dict(request.query_params))
    with kernel.sessions() as session:
        try:
            body = write_xlsx(export.headers(kernel, lang), export.rows(kernel, session, actor, lang, q),
                              rtl=lang == "fa", title=kernel.t(lang, "Partners"))
        except InputError as exc:
            return Response(error_text(request, exc), status_code=400)
    return Response(body, media_type=XLSX,
                    headers=download_headers(request, kernel.t(lang, "Partners"), "xlsx", "partners"))


def routes() -> list[Route]:
    return [
        *routes_for(PARTNERS),
        Route("/partner/export-all.xlsx", export_all, methods=["GET"], permission="base.partner.export",
              name="partner_export_all"),
    ]
