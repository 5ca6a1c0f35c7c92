"""FIN-15 on the web: the print menu under a proforma's or an invoice's page, the print page
(format, paper, title, description; e-mail the PDF), the PDF itself, and the e-mail's POST.

Every route needs ``<resource>.print`` and loads the document with ``get_record(..., "print")``:
the permission again and the record scope, so a document outside the user's scope is 404. The
e-mail's POST needs ``finance.document.mail`` as well (the route's permission); the page offers
the e-mail form only to those who hold it.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from kernel import InputError, NotFound, PermissionDenied, Route
from kernel.documents import download_headers
from kernel.records import get_record
from kernel.timezone import local_today
from kernel.web.forms import error_text, flash, form, redirect
from kernel.web.templating import render, request_lang
from modules.finance import printing
from modules.finance.services import mailing

DOCS = ("finance.proforma", "finance.invoice")


def _load(request: Request, session: Any, name: str) -> Any:
    kernel = request.app.state.kernel
    return get_record(kernel, session, request.state.actor, kernel.resources[name], request.path_params["id"],
                      "print")


def _not_found(request: Request) -> Response:
    return render(request, "kernel/message.html",
                  {"message": request.app.state.kernel.t(request_lang(request), "Not found"), "status": 404}, 404)


def pdf_view(name: str) -> Any:
    def view(request: Request) -> Response:
        kernel = request.app.state.kernel
        lang = request_lang(request)
        try:
            opts = printing.options(request.query_params)
        except InputError as exc:
            return Response(error_text(request, exc), status_code=400)
        with kernel.sessions() as session:
            try:
                doc = _load(request, session, name)
            except (NotFound, PermissionDenied):
                return _not_found(request)
            pdf = printing.document_pdf(kernel, request.app.state.jinja, session, request.state.actor, doc, opts, lang)
            title = printing.file_name(kernel, doc, lang).removesuffix(".pdf")
        headers = download_headers(title, "pdf", local_today(kernel.config.timezone), lang, name)
        # Shown in the browser's viewer (to print or save), not forced to a download.
        headers["content-disposition"] = headers["content-disposition"].replace("attachment", "inline", 1)
        return Response(pdf, media_type="application/pdf", headers=headers)

    return view


def page_view(name: str) -> Any:
    def view(request: Request, errors: dict[str, str] | None = None, values: dict[str, str] | None = None,
             status: int = 200) -> Response:
        kernel = request.app.state.kernel
        with kernel.sessions() as session:
            try:
                doc = _load(request, session, name)
            except (NotFound, PermissionDenied):
                return _not_found(request)
            to = mailing.recipient_of(kernel, session, request.state.actor, doc)
        res = kernel.resources[name]
        lang = request_lang(request)
        kind = kernel.t(lang, res.label)
        defaults = {"to": to, "subject": f"{kind} {doc.number or ''}".strip(), "title": "",
                    "description": doc.description or "", "format": "customer", "paper": "A4", "message": ""}
        return render(request, "finance/print_page.html", {
            "doc": doc, "res": res, "formats": printing.FORMATS, "papers": printing.PAPERS,
            "values": {**defaults, **(values or {})}, "errors": errors or {},
            "back": f"{res.url}{doc.id}", "may_mail": request.state.actor.can(mailing.MAIL),
        }, status)

    return view


def mail_view(name: str) -> Any:
    page = page_view(name)

    def view(request: Request) -> Response:
        kernel = request.app.state.kernel
        lang = request_lang(request)
        data = {k: str(v) for k, v in form(request).items() if k != "csrf"}
        try:
            opts = printing.options(data)
            to, subject, message = mailing.check(data)
        except mailing.MailErrors as exc:
            return page(request, {k: error_text(request, e) for k, e in exc.errors.items()}, data, 400)
        except InputError as exc:
            return page(request, {"__all__": error_text(request, exc)}, data, 400)
        try:
            with kernel.session(request.state.actor) as session:
                doc = _load(request, session, name)
                mailing.queue(kernel, request.app.state.jinja, session, request.state.actor, doc, opts, lang,
                              to=to, subject=subject, message=message)
        except NotFound:
            return _not_found(request)
        # PermissionDenied (mail without print) goes on to the app's Persian 403 page.
        flash(request, "The e-mail is on its way.")
        return redirect(f"{kernel.resources[name].url}{request.path_params['id']}")

    return view


def print_menu(context: dict[str, Any], request: Any) -> Markup | None:
    """Under a proforma's or an invoice's page: "Print" with each format × paper, and the page
    for a chosen title, description or e-mail."""
    doc, res = context.get("record"), context.get("resource")
    actor = getattr(request.state, "actor", None)
    if doc is None or res is None or res.name not in DOCS or actor is None or not actor.can(res.perm("print")):
        return None
    env = request.app.state.jinja
    lang = request_lang(request)
    return Markup(env.get_template("finance/print_menu.html").render(
        lang=lang, url=f"{res.url}{doc.id}", formats=printing.FORMATS, papers=printing.PAPERS))


def routes() -> list[Route]:
    out = []
    for name in DOCS:
        thing = name.split(".")[1]
        perm = f"{name}.print"
        out += [
            Route(f"/{thing}/{{id:int}}/print.pdf", pdf_view(name), methods=["GET"], permission=perm,
                  name=f"{thing}_pdf"),
            Route(f"/{thing}/{{id:int}}/print", page_view(name), methods=["GET"], permission=perm,
                  name=f"{thing}_print"),
            Route(f"/{thing}/{{id:int}}/email", mail_view(name), methods=["POST"], permission=mailing.MAIL,
                  name=f"{thing}_email"),
        ]
    return out
