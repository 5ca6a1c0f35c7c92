"""Every hook acme_hello implements: the only object the kernel registers for this module."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from kernel import Field, MenuItem, NotFound, Permission, Resource, Route, hookimpl
from kernel.documents import render_pdf
from kernel.routing import csrf_token
from kernel.web.templating import request_lang

from . import services
from .models import Greeting


@hookimpl
def register_resources() -> list[Resource]:
    # One declaration gives the list, detail, forms, history, exports and the JSON API at
    # /acme_hello/greeting/ and /api/acme_hello/greeting, with permissions
    # acme_hello.greeting.view/create/edit/delete/export/print.
    return [
        Resource(
            name=services.RESOURCE, model=Greeting, label="Greeting", label_plural="Greetings",
            columns=("recipient", "send_on", "gift_amount", "approved"),
            form=("recipient", "message", "send_on", "gift_amount"),
            search=("recipient", "message"),
            filters=("send_on", "gift_amount", "approved"),
            title_field="recipient",
            default_sort="-send_on",
            fields={
                "recipient": Field(label="Recipient"),
                "message": Field(label="Message"),
                "send_on": Field(label="Send on", help="Jalali date, e.g. 1404/01/01"),
                "gift_amount": Field(kind="money", label="Gift amount"),
                "approved": Field(label="Approved", readonly=True),
            },
        )
    ]


@hookimpl
def register_permissions() -> list[Permission]:
    # The resource's own actions come for free; declare only the extra ones.
    return [Permission(services.APPROVE, "Approve greetings")]


@hookimpl
def register_menu_items() -> list[MenuItem]:
    return [
        MenuItem("acme_hello.greetings", "Greetings", "/acme_hello/greeting/",
                 permission="acme_hello.greeting.view", icon="mail", sequence=300),
    ]


def card_pdf(request: Request) -> Response:
    """GET /acme_hello/greeting/<id>/card.pdf: one greeting as a printable card."""
    kernel = request.app.state.kernel
    lang = request_lang(request)
    with kernel.sessions() as session:
        try:
            greeting = services.greeting_for(kernel, session, request.state.actor,
                                             request.path_params["id"], "print")
        except NotFound:
            return Response(kernel.t(lang, "Not found"), status_code=404)
        context = services.card_context(kernel, session, greeting, lang)
    html = request.app.state.jinja.get_template("acme_hello/card.html").render(context)
    pdf = render_pdf(html, kernel.static_dirs())
    return Response(pdf, media_type="application/pdf",
                    headers={"content-disposition": f'inline; filename="greeting-{greeting.id}.pdf"'})


def approve(request: Request) -> Response:
    """POST /acme_hello/greeting/<id>/approve (the guard has checked the CSRF token)."""
    kernel = request.app.state.kernel
    greeting_id = request.path_params["id"]
    try:
        with kernel.session(request.state.actor) as session:
            services.approve(kernel, session, request.state.actor, greeting_id)
    except NotFound:
        return Response(kernel.t(request_lang(request), "Not found"), status_code=404)
    return RedirectResponse(f"/acme_hello/greeting/{greeting_id}", status_code=303)


@hookimpl
def register_routes() -> list[Any]:
    # Mounted under /acme_hello/ and named acme_hello:<name>. The permission is mandatory: the
    # guard checks it before the view runs; the view still checks the record's scope.
    return [
        Route("/greeting/{id:int}/card.pdf", card_pdf, methods=["GET"],
              permission="acme_hello.greeting.print", name="card"),
        Route("/greeting/{id:int}/approve", approve, methods=["POST"],
              permission=services.APPROVE, name="approve"),
    ]


@hookimpl
def template_slot(slot: str, context: dict[str, Any], request: Request) -> Markup | None:
    # The kernel's detail page of every resource calls slot("<resource>.detail", record=...).
    if slot != "acme_hello.greeting.detail":
        return None
    actor = request.state.actor
    greeting = context["record"]
    lang = request_lang(request)
    t = request.app.state.kernel.t
    parts = []
    if actor.can("acme_hello.greeting.print"):
        parts.append(f'<a class="button" href="/acme_hello/greeting/{greeting.id}/card.pdf">'
                     f"{escape(t(lang, 'Print greeting card'))}</a>")
    if actor.can(services.APPROVE) and not greeting.approved:
        parts.append(f'<form method="post" action="/acme_hello/greeting/{greeting.id}/approve">'
                     f'<input type="hidden" name="csrf" value="{escape(csrf_token(request))}">'
                     f"<button>{escape(t(lang, 'Approve'))}</button></form>")
    return Markup(f'<div class="actions">{"".join(parts)}</div>') if parts else None
