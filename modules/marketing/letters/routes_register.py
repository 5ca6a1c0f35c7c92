"""A letter of the register as a PDF, and the setting that says how letters are numbered."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kernel import InputError, NotFound, PermissionDenied
from kernel.records import get_record
from kernel.web.forms import error_text, form, redirect
from kernel.web.templating import render, request_lang
from modules.marketing.letters import numbering
from modules.marketing.letters.printing import letters_pdf
from modules.marketing.letters.web import not_found, pdf_response


def letter_pdf(request: Request) -> Response:
    kernel, actor, lang = request.app.state.kernel, request.state.actor, request_lang(request)
    with kernel.sessions() as session:
        try:
            letter = get_record(kernel, session, actor, kernel.resources["marketing.letter"],
                                request.path_params["id"], "print")
        except (NotFound, PermissionDenied):
            return not_found(request)
        pdf = letters_pdf(kernel, request.app.state.jinja, session, [letter], lang)
        title = f"{kernel.t(lang, 'Letter')} {letter.number}"
    return pdf_response(request, pdf, title, "letter")


def numbering_page(request: Request, error: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        current = numbering.mode(kernel, session)
    return render(request, "marketing/letters/numbering.html",
                  {"modes": numbering.MODES, "current": current, "error": error}, status)


def numbering_post(request: Request) -> Response:
    kernel = request.app.state.kernel
    try:
        with kernel.session(request.state.actor) as session:
            numbering.set_mode(kernel, session, str(form(request).get("mode", "")))
    except InputError as exc:
        return numbering_page(request, error_text(request, exc), 400)
    return redirect("/marketing/letter/")
