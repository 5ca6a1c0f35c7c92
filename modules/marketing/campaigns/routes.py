"""The campaigns' pages beyond the resource's list and forms: the moves (submit, approve,
reject, close, cancel), "run now" of a step, the targets page with the responses. Each route
declares its permission; a refusal is a page with the reason in Persian and nothing changed."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from kernel import InputError, NotFound, Route
from kernel.records import get_record
from kernel.web.forms import error_text, flash, form, redirect
from kernel.web.templating import render
from modules.marketing.campaigns import responses, states, steps, tracking
from modules.marketing.models import CampaignStep
from modules.marketing.models.campaign_step import STEP_KINDS
from modules.marketing.models.campaign_target import RESPONSES

VIEW, EDIT, APPROVE = "marketing.campaign.view", "marketing.campaign.edit", "marketing.campaign.approve"
DONE = {"submit": "The campaign was submitted for approval.", "approve": "The campaign was approved.",
        "reject": "The campaign was rejected.", "finish": "The campaign was closed.",
        "cancel": "The campaign was cancelled."}


def refused(request: Request, exc: Exception, back: str) -> Response:
    return render(request, "kernel/message.html", {"message": error_text(request, exc), "status": 400, "back": back},
                  400)


def _move(action: str) -> Any:
    def handler(request: Request) -> Response:
        kernel, actor = request.app.state.kernel, request.state.actor
        campaign_id = request.path_params["id"]
        back = f"/marketing/campaign/{campaign_id}"
        try:
            with kernel.session(actor) as session:
                states.move(kernel, session, actor, campaign_id, action, str(form(request).get("note", "")))
        except InputError as exc:
            return refused(request, exc, back)
        flash(request, DONE[action])
        return redirect(back)

    handler.__name__ = f"campaign_{action}"
    return handler


def run_now(request: Request) -> Response:
    kernel, actor = request.app.state.kernel, request.state.actor
    with kernel.sessions() as session:
        step = session.get(CampaignStep, request.path_params["id"])
        if step is None or step.deleted_at is not None:
            raise NotFound("marketing.campaign_step")
        campaign_id = step.campaign_id
    back = f"/marketing/campaign/{campaign_id}"
    try:
        with kernel.session(actor) as session:
            # The reader's scope decides whether they may touch the campaign at all.
            get_record(kernel, session, actor, kernel.resources["marketing.campaign"], campaign_id, "edit")
            steps.run_step(kernel, session, request.path_params["id"])
    except InputError as exc:
        return refused(request, exc, back)
    flash(request, "The step ran.")
    return redirect(back)


def targets_page(request: Request) -> Response:
    kernel, actor = request.app.state.kernel, request.state.actor
    with kernel.sessions() as session:
        campaign = get_record(kernel, session, actor, kernel.resources["marketing.campaign"], request.path_params["id"])
        its_steps = tracking.steps_of(session, campaign.id)
        context = {"campaign": campaign, "steps": its_steps, "totals": tracking.totals(kernel, session, campaign),
                   "rows": tracking.rows(kernel, session, actor, campaign, its_steps), "responses": RESPONSES,
                   "response_labels": dict(RESPONSES), "kinds": dict(STEP_KINDS),
                   "page": tracking.PAGE, "may_edit": actor.can(EDIT)}
        return render(request, "marketing/campaigns/targets.html", context)


def response_post(request: Request) -> Response:
    kernel, actor = request.app.state.kernel, request.state.actor
    campaign_id, target_id = request.path_params["id"], request.path_params["target"]
    back = f"/marketing/campaign/{campaign_id}/targets"
    data = form(request)
    try:
        with kernel.session(actor) as session:
            responses.set_response(kernel, session, actor, campaign_id, target_id, str(data.get("response", "")),
                                   str(data.get("note", "")))
    except InputError as exc:
        return refused(request, exc, back)
    return redirect(f"{back}#target-{target_id}")


def routes() -> list[Route]:
    moves = [Route(f"/campaign/{{id:int}}/{action}", _move(action), methods=["POST"],
                   permission=APPROVE if action in ("approve", "reject") else EDIT, name=f"campaign_{action}")
             for action in states.MOVES]
    return [*moves,
            Route("/campaign_step/{id:int}/run", run_now, methods=["POST"], permission=EDIT, name="campaign_step_run"),
            Route("/campaign/{id:int}/targets", targets_page, methods=["GET"], permission=VIEW,
                  name="campaign_targets"),
            Route("/campaign/{id:int}/targets/{target:int}/response", response_post, methods=["POST"],
                  permission=EDIT, name="campaign_response")]
