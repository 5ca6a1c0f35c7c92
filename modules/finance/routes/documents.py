"""The actions of a document's page: issue, convert a proforma into its invoice, cancel a
proforma, void an invoice. Each is a POST with its CSRF token that calls one service in one
transaction; a refusal comes back as a Persian message on the document's page, nothing changed.
GET of convert/void/cancel shows the confirmation (the context menu's entries are links)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kernel import Conflict, InputError, NotFound, PermissionDenied, Route
from kernel.records import FormErrors, get_record
from kernel.web.forms import error_text, flash, redirect
from kernel.web.templating import render
from modules.finance.services import issuing

_REFUSED = (Conflict, InputError, FormErrors)


def _message(request: Request, exc: Exception) -> str:
    if isinstance(exc, FormErrors):
        exc = next(iter(exc.errors.values()))
    if getattr(exc, "params", None):  # a message with its values (the closed year): said now, in full
        return error_text(request, exc)
    return getattr(exc, "msgid", str(exc))


def _act(request: Request, resource: str, action: Callable[..., Any], *args: Any) -> Response:
    kernel = request.app.state.kernel
    rid = int(request.path_params["id"])
    back = f"/{resource.replace('.', '/')}/{rid}"
    try:
        with kernel.session(request.state.actor) as session:
            result = action(kernel, session, request.state.actor, rid, *args)
            target = f"/finance/invoice/{result.id}" if result is not None and resource != "finance.invoice" \
                and type(result).__name__ == "Invoice" else back
    # A missing record (or one outside the scope) and a refusal go to the kernel's 404 and 403
    # pages, in the user's language.
    except _REFUSED as exc:
        flash(request, _message(request, exc))
        return redirect(back)
    flash(request, "Saved.")
    return redirect(target)


def _confirm(request: Request, resource: str, title: str, button: str, reason: bool) -> Response:
    kernel = request.app.state.kernel
    rid = int(request.path_params["id"])
    with kernel.sessions() as session:
        try:
            doc = get_record(kernel, session, request.state.actor, kernel.resources[resource], rid)
        except PermissionDenied:  # outside the scope: not told apart from missing
            raise NotFound() from None
        number = doc.number or f"#{doc.id}"
    return render(request, "finance/confirm.html", {"title": title, "button": button, "reason": reason,
                                                    "number": number, "back": f"{kernel.resources[resource].url}{rid}"})


async def _form(request: Request) -> dict[str, str]:
    return {k: str(v) for k, v in (await request.form()).items()}


async def issue_proforma(request: Request) -> Response:
    return _act(request, "finance.proforma", issuing.issue_proforma)


async def issue_invoice(request: Request) -> Response:
    return _act(request, "finance.invoice", issuing.issue_invoice)


def convert_page(request: Request) -> Response:
    return _confirm(request, "finance.proforma", "Convert to invoice", "Convert", False)


async def convert(request: Request) -> Response:
    return _act(request, "finance.proforma", issuing.convert)


def cancel_page(request: Request) -> Response:
    # -- editor: a proforma is cancelled with a reason from the list, on its follow-up form (FIN-05)
    return redirect(f"/finance/proforma/{int(request.path_params['id'])}/follow-up#cancel")


async def cancel(request: Request) -> Response:
    from modules.finance.routes.follow_up import cancel as cancel_with_reason

    return cancel_with_reason(request)


def void_page(request: Request) -> Response:
    return _confirm(request, "finance.invoice", "Void the invoice", "Void", True)


async def void(request: Request) -> Response:
    form = await _form(request)
    return _act(request, "finance.invoice", issuing.void_invoice, form.get("reason", ""))


def routes() -> list[Route]:
    return [
        Route("/proforma/{id:int}/issue", issue_proforma, methods=["POST"], permission="finance.proforma.edit",
              name="proforma_issue"),
        Route("/invoice/{id:int}/issue", issue_invoice, methods=["POST"], permission="finance.invoice.edit",
              name="invoice_issue"),
        Route("/proforma/{id:int}/convert", convert_page, methods=["GET"], permission="finance.proforma.convert",
              name="proforma_convert_page"),
        Route("/proforma/{id:int}/convert", convert, methods=["POST"], permission="finance.proforma.convert",
              name="proforma_convert"),
        Route("/proforma/{id:int}/cancel", cancel_page, methods=["GET"], permission="finance.proforma.edit",
              name="proforma_cancel_page"),
        Route("/proforma/{id:int}/cancel", cancel, methods=["POST"], permission="finance.proforma.edit",
              name="proforma_cancel"),
        Route("/invoice/{id:int}/void", void_page, methods=["GET"], permission="finance.invoice.delete",
              name="invoice_void_page"),
        Route("/invoice/{id:int}/void", void, methods=["POST"], permission="finance.invoice.delete",
              name="invoice_void"),
    ]
