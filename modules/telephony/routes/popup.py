"""The incoming-call pop-up's fragment and its one-click "log the call".

``GET /telephony/call/{id}/popup`` answers the card's HTML (no page around it) that
``popup.js`` shows; ``POST /telephony/call/{id}/log`` writes the communication. The script posts
with ``X-Peyvand-Fragment: 1`` and gets the card back (logged, or the reason why not); a plain
form post (the call's page) is redirected back with the outcome."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from kernel import Conflict, InputError, NotFound, PermissionDenied, Route
from kernel.web.forms import error_text, flash, form, redirect, safe_next
from kernel.web.templating import render, request_lang
from modules.base.routes.profile import not_found
from modules.telephony.call_log import log_call
from modules.telephony.caller import caller_card
from modules.telephony.duration import duration_text
from modules.telephony.new_partner import new_partner_url

VIEW = "telephony.call.view"
LOG = "base.communication.create"


def _context(request: Request, call_id: int) -> dict[str, Any]:
    kernel = request.app.state.kernel
    actor = request.state.actor
    with kernel.sessions() as session:
        card = caller_card(kernel, session, actor, call_id, request_lang(request))
        return {
            "card": card, "duration": duration_text(card.call.duration_seconds, request_lang(request)),
            "can_log": actor.can(LOG) and card.partner is not None and not card.logged,
            # Only for a number of no partner: a caller hidden from the reader is no new partner.
            "new_partner": new_partner_url(card.call) if actor.can("base.partner.create") else None,
        }


def card_markup(request: Request, call_id: int) -> Markup:
    """The card inside another page (the call's record page); raises NotFound."""
    body = render(request, "telephony/popup.html", _context(request, call_id)).body
    return Markup(bytes(body).decode("utf-8"))


def _card(request: Request, call_id: int, message: str = "", error: str = "", status: int = 200) -> Response:
    try:
        context = _context(request, call_id)
    except NotFound:
        return not_found(request)
    return render(request, "telephony/popup.html", {**context, "message": message, "error": error}, status)


def popup(request: Request) -> Response:
    return _card(request, request.path_params["id"])


def log(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    call_id = request.path_params["id"]
    fragment = request.headers.get("x-peyvand-fragment") == "1"
    back = safe_next(str(form(request).get("next", "") or f"/telephony/call/{call_id}"))
    try:
        if not actor.can(VIEW):
            raise PermissionDenied("You do not have permission to do this")
        with kernel.session(actor) as session:
            log_call(kernel, session, actor, call_id, str(form(request).get("note", "")), request_lang(request))
    except NotFound:
        return not_found(request)
    except (InputError, Conflict, PermissionDenied) as exc:
        text = error_text(request, exc)
        if fragment:
            return _card(request, call_id, error=text, status=409 if isinstance(exc, Conflict) else 400)
        flash(request, getattr(exc, "msgid", str(exc)))
        return redirect(back)
    if fragment:
        return _card(request, call_id, message=kernel.t(request_lang(request), "The call is logged"))
    flash(request, "The call is logged")
    return redirect(back)


def routes() -> list[Route]:
    return [
        Route("/call/{id:int}/popup", popup, methods=["GET"], permission=VIEW, name="call_popup"),
        # Also needs telephony.call.view (checked in the view): the call must be readable.
        Route("/call/{id:int}/log", log, methods=["POST"], permission=LOG, name="call_log"),
    ]
