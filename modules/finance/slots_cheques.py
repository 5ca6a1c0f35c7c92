"""Under a cheque's page: its state with the moves allowed from it as buttons, and its history
(FIN-09). The form posts to ``/finance/cheque/<id>/state`` (:mod:`modules.finance.routes.cheques`)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from kernel import NotFound, PermissionDenied
from modules.base.panels import panel_markup
from modules.finance.models import Cheque
from modules.finance.services.cheque_view import state_form


def cheque_detail(context: dict[str, Any], request: Any) -> Markup | None:
    cheque = context.get("record")
    actor = getattr(request.state, "actor", None)
    if not isinstance(cheque, Cheque) or actor is None:
        return None
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        try:
            form = state_form(kernel, session, actor, cheque.id)
        except (NotFound, PermissionDenied):
            return None
    return panel_markup(request, "finance/cheque_state.html", **form, typed={}, errors={})


SLOTS = {"finance.cheque.detail": cheque_detail}


def render(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    handler = SLOTS.get(slot)
    return handler(context, request) if handler else None
