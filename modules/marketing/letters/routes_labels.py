"""Postal labels on the web (FAQ 1, 22): the page lists the addressees a partner list's filters
give — each partner, or the chosen personnel of the listed companies — with check boxes, the
layout to print on and how many labels and sheets that makes; posting it answers the PDF."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kernel import InputError
from kernel.web.forms import error_text
from kernel.web.templating import render, request_lang
from modules.marketing.letters import labels, selection
from modules.marketing.letters.web import pdf_response, picking, posted

PERMISSION = "marketing.labels.print"


def labels_page(request: Request, values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
                status: int = 200) -> Response:
    params = values if values is not None else dict(request.query_params)
    context = picking(request, params, errors)
    layout = params.get("layout") or labels.LAYOUTS[0].key
    context.update({"layouts": labels.LAYOUTS, "layout": layout,
                    "sheets": {x.key: x.sheets(context["ticked"]) for x in labels.LAYOUTS}})
    return render(request, "marketing/letters/labels.html", context, status)


def labels_post(request: Request) -> Response:
    kernel, actor, lang = request.app.state.kernel, request.state.actor, request_lang(request)
    values, keys = posted(request)
    try:
        chosen_layout = labels.layout(values.get("layout"))
    except InputError as exc:
        return labels_page(request, values, {"layout": error_text(request, exc)}, 400)
    try:
        sel = selection.Selection.from_params(values)
        with kernel.sessions() as session:
            picked = selection.chosen(selection.recipients(kernel, session, actor, sel), keys)
            if not picked:
                raise InputError("Choose at least one addressee")
            pdf = labels.labels_pdf(kernel, request.app.state.jinja, session, picked, chosen_layout, lang)
    except InputError as exc:
        return labels_page(request, values, {"__all__": error_text(request, exc)}, 400)
    return pdf_response(request, pdf, kernel.t(lang, "Postal labels"), "labels")
