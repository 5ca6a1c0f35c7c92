"""Marketing's campaign additions to pages: on the partner list, "Create a campaign for this
list" (its filters and search become the campaign's targets); under a campaign's page, its
state, moves, steps and totals."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from kernel import InputError
from kernel.routing import csrf_token
from kernel.web.templating import request_lang
from modules.marketing.campaigns import targets, tracking
from modules.marketing.models.campaign import CAMPAIGN_STATES, EDITABLE, LIVE
from modules.marketing.models.campaign_step import STEP_KINDS, STEP_STATES

CREATE = "marketing.campaign.create"


def list_query(request: Any) -> str:
    """The partner list's own parameters of the page (its filters and search), as a query string."""
    return urlencode([(k, v) for k, v in request.query_params.multi_items()
                      if (k == "q" or k.startswith("f_")) and v.strip()])


def partner_list(context: dict[str, Any], request: Any) -> Markup | None:
    actor = getattr(request.state, "actor", None)
    if actor is None or not actor.can(CREATE):
        return None
    kernel = request.app.state.kernel
    url = "/marketing/campaign/new?" + urlencode({"target_query": list_query(request)})
    return Markup('<p class="mk-list-campaign"><a class="button" href="{}" data-campaign-list>{}</a></p>').format(
        url, kernel.t(request_lang(request), "Create a campaign for this list"))


def campaign_detail(context: dict[str, Any], request: Any) -> Markup | None:
    campaign = context.get("record")
    actor = getattr(request.state, "actor", None)
    if campaign is None or actor is None:
        return None
    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        steps = tracking.steps_of(session, campaign.id)
        totals = tracking.totals(kernel, session, campaign)
        listed = None
        if campaign.state in EDITABLE + ("submitted",):
            try:  # before approval the list is live: how many it holds now, as the marketer sees it
                listed = targets.count_listed(kernel, session, targets.marketer(session, campaign),
                                              campaign.target_query)
            except InputError:  # a list the marketer can no longer read shows no count, not a 500
                listed = None
    return Markup(request.app.state.jinja.get_template("marketing/campaigns/detail.html").render(
        campaign=campaign, steps=steps, totals=totals, listed=listed, actor=actor, lang=request_lang(request),
        money_unit=actor.money_unit, csrf=csrf_token(request), states=dict(CAMPAIGN_STATES),
        kinds=dict(STEP_KINDS), step_states=dict(STEP_STATES), editable=campaign.state in EDITABLE,
        live=campaign.state in LIVE, list_url="/base/partner/?" + (campaign.target_query or "")))


SLOTS = {"base.partner.list": partner_list, "marketing.campaign.detail": campaign_detail}


def render(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    handler = SLOTS.get(slot)
    return handler(context, request) if handler is not None else None
