"""Closing a planned communication (BASE-17) from the profile or its record page: "done" logs
the communication with its outcome, "cancel" ends the plan without one."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from kernel import Conflict, InputError, NotFound, PermissionDenied, Route
from kernel.records import FormErrors
from kernel.web.forms import error_text, form, redirect
from kernel.web.templating import request_lang
from modules.base.models import PlannedCommunication
from modules.base.routes.profile import not_found, profile_url
from modules.base.services import planned

ANCHOR = "panel-base-planned"


def _close(request: Request, done: bool) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    plan_id = request.path_params["id"]
    with kernel.sessions() as session:
        plan = session.get(PlannedCommunication, plan_id)
        partner_id = plan.partner_id if plan is not None else None
    if partner_id is None:
        return not_found(request)
    lang = request_lang(request)
    try:
        with kernel.session(actor) as session:
            if done:
                planned.complete(kernel, session, actor, plan_id, str(form(request).get("outcome", "")))
            else:
                planned.cancel(kernel, session, actor, plan_id)
    except NotFound:
        return not_found(request)
    except FormErrors as exc:
        return redirect(profile_url(partner_id, " — ".join(error_text(request, e) for e in exc.errors.values()),
                                    ANCHOR))
    except (InputError, Conflict, PermissionDenied) as exc:
        return redirect(profile_url(partner_id, error_text(request, exc), ANCHOR))
    msg = "Logged in the communications" if done else "The plan is cancelled"
    return redirect(profile_url(partner_id, kernel.t(lang, msg), ANCHOR))


def done(request: Request) -> Response:
    return _close(request, True)


def cancel(request: Request) -> Response:
    return _close(request, False)


def routes() -> list[Route]:
    # Logging the communication also needs base.communication.create (checked by the service).
    return [
        Route("/planned/{id:int}/done", done, methods=["POST"], permission="base.planned_communication.edit",
              name="planned_done"),
        Route("/planned/{id:int}/cancel", cancel, methods=["POST"], permission="base.planned_communication.edit",
              name="planned_cancel"),
    ]
