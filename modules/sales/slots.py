"""What an opportunity's and a lead's record pages show beyond their form: the stage, outcome and
approval (moved only through the board's rules), and a lead's opportunity — with the actions."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from kernel.web.templating import request_lang


def render(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    if slot not in ("sales.opportunity.detail", "sales.lead.detail"):
        return None
    record = context.get("record")
    actor = getattr(request.state, "actor", None)
    if record is None or actor is None:
        return None
    kernel = request.app.state.kernel
    from modules.sales.models import LostReason, Opportunity, Stage

    with kernel.sessions() as session:
        if slot == "sales.lead.detail":
            opp = session.get(Opportunity, record.opportunity_id) if record.opportunity_id else None
            stage = reason = None
        else:
            opp = record
            stage = session.get(Stage, record.stage_id)
            reason = session.get(LostReason, record.lost_reason_id) if record.lost_reason_id else None
    env = request.app.state.jinja
    return Markup(env.get_template("sales/record_status.html").render(
        slot=slot, record=record, opp=opp, stage=stage, reason=reason, actor=actor, lang=request_lang(request),
        tz=kernel.config.timezone))
