"""Group letters (MKT-05, FAQ 24): one template to every addressee of a partner list's filters —
each partner, or the personnel of the listed companies holding a position («مدیرعامل») — ticked
on the page; posted, each becomes a letter of the register with its own number, and the group
prints as one PDF, one letter a page."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kernel import InputError, NotFound, PermissionDenied
from kernel.persian.jalali import format_jalali, parse_jalali_date
from kernel.persian.numbers import parse_int
from kernel.persian.textnorm import clean_input
from kernel.timezone import local_today
from kernel.web.forms import error_text, redirect
from kernel.web.templating import render, request_lang
from modules.marketing.letters import numbering, prepared, selection
from modules.marketing.letters.merge import FIELDS
from modules.marketing.letters.printing import letters_pdf
from modules.marketing.letters.register import GroupErrors, write_group
from modules.marketing.letters.web import not_found, pdf_response, picking, posted
from modules.marketing.models import LetterPrint, LetterTemplate

PRINT = "marketing.letter.print"


def _templates(kernel: Any, session: Any, actor: Any) -> list[tuple[int, str]]:
    stmt = kernel.scoped_select(actor, LetterTemplate, "view").order_by(LetterTemplate.name, LetterTemplate.id)
    return [(t.id, t.name) for t in session.scalars(stmt)]


def group_page(request: Request, values: dict[str, str] | None = None, errors: dict[str, str] | None = None,
               status: int = 200) -> Response:
    kernel, actor, lang = request.app.state.kernel, request.state.actor, request_lang(request)
    context = picking(request, values if values is not None else dict(request.query_params), errors)
    with kernel.sessions() as session:
        context.update({"templates": _templates(kernel, session, actor), "fields": FIELDS,
                        "manual": numbering.mode(kernel, session) == "manual"})
    context["values"] = {"date": format_jalali(local_today(kernel.config.timezone), lang), **(values or {})}
    return render(request, "marketing/letters/group.html", context, status)


def group_post(request: Request) -> Response:
    kernel, actor = request.app.state.kernel, request.state.actor
    values, keys = posted(request)
    errors: dict[str, str] = {}
    if not actor.can(PRINT):
        raise PermissionDenied(PRINT)
    on = None
    try:
        on = parse_jalali_date(clean_input(values.get("date", "")))
    except InputError as exc:
        errors["date"] = error_text(request, exc)
    template_id = None
    try:
        template_id = parse_int(values.get("template_id", "") or "x")
    except InputError:
        errors["template_id"] = error_text(request, InputError("Choose a letter template"))
    first = None
    if values.get("first_number", "").strip():
        try:
            first = parse_int(values["first_number"])
            if first < 1:
                raise InputError("Type a whole number greater than zero")
        except InputError as exc:
            errors["first_number"] = error_text(request, exc)
    if errors:
        return group_page(request, values, errors, 400)
    assert template_id is not None and on is not None
    try:
        sel = selection.Selection.from_params(values)
        with kernel.session(actor) as session:
            every = selection.recipients(kernel, session, actor, sel)
            batch, _ = write_group(kernel, session, actor, template_id, selection.chosen(every, keys), on, first)
    except GroupErrors as exc:
        return group_page(request, values, {k: error_text(request, e) for k, e in exc.errors.items()}, 400)
    except InputError as exc:
        return group_page(request, values, {"__all__": error_text(request, exc)}, 400)
    except NotFound:
        return group_page(request, values, {"template_id": error_text(request, InputError("Choose a letter template"))},
                          400)
    return redirect(f"/marketing/letters/group/{batch}")


def batch_page(request: Request) -> Response:
    kernel, actor = request.app.state.kernel, request.state.actor
    batch = request.path_params["batch"]
    with kernel.sessions() as session:
        letters = prepared.batch_letters(kernel, session, actor, batch, "view")
        if not letters:
            return not_found(request)
        last = prepared.latest(session, actor, batch)
    return render(request, "marketing/letters/group_done.html",
                  {"letters": letters, "batch": batch, "may_print": actor.can(PRINT),
                   "inline": len(letters) <= prepared.INLINE_MAX, "prepared": last})


def batch_pdf(request: Request) -> Response:
    kernel, actor, lang = request.app.state.kernel, request.state.actor, request_lang(request)
    batch = request.path_params["batch"]
    with kernel.sessions() as session:
        letters = prepared.batch_letters(kernel, session, actor, batch, "print")
        if not letters:
            return not_found(request)
        if len(letters) > prepared.INLINE_MAX:  # too long for a request: the page prepares it
            return redirect(f"/marketing/letters/group/{batch}")
        pdf = letters_pdf(kernel, request.app.state.jinja, session, letters, lang)
    return pdf_response(request, pdf, kernel.t(lang, "Group letter"), "letters")


def prepare_post(request: Request) -> Response:
    """"Prepare the PDF": a worker renders the batch for this user (see ``prepared``)."""
    kernel, actor = request.app.state.kernel, request.state.actor
    batch = request.path_params["batch"]
    posted(request)  # the form's CSRF field is checked by the kernel; nothing else is posted
    with kernel.session(actor) as session:
        if not prepared.batch_letters(kernel, session, actor, batch, "print"):
            return not_found(request)
        prepared.ask(session, actor, batch, request_lang(request))
    return redirect(f"/marketing/letters/group/{batch}")


def _print_row(request: Request) -> LetterPrint | None:
    kernel, actor = request.app.state.kernel, request.state.actor
    with kernel.sessions() as session:
        row = session.get(LetterPrint, int(request.path_params["id"]))
        # A prepared PDF is its user's alone: it holds the letters of their scope.
        return row if row is not None and row.user_id == actor.user_id else None


def print_file(request: Request) -> Response:
    kernel = request.app.state.kernel
    row = _print_row(request)
    if row is None or row.state != "ready" or not row.sha256:
        return not_found(request)
    pdf = (kernel.config.files_dir / row.sha256[:2] / row.sha256).read_bytes()
    return pdf_response(request, pdf, kernel.t(row.lang, "Group letter"), "letters")


def print_state(request: Request) -> Response:
    row = _print_row(request)
    if row is None:
        return JSONResponse({"error": "not found"}, status_code=404)
    return JSONResponse({"state": row.state})
