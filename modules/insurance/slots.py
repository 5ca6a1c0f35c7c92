"""What a policy's page shows beyond its form: the policy it renews and the one that renewed
it, "Renew", and the premium's invoice with its instalments (or the form that issues them)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from sqlalchemy import select


def render(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    if slot != "insurance.policy.detail":
        return None
    record = context.get("record")
    actor = getattr(request.state, "actor", None)
    if record is None or actor is None:
        return None
    from modules.base.panels import panel_markup
    from modules.insurance.models import Policy

    kernel = request.app.state.kernel
    with kernel.sessions() as session:
        visible = kernel.scoped_select(actor, Policy)
        renewed_by = session.scalar(visible.where(Policy.renews_id == record.id, Policy.deleted_at.is_(None))
                                    .with_only_columns(Policy.id).limit(1))
        renews = session.scalar(visible.where(Policy.id == record.renews_id).with_only_columns(Policy.id)) \
            if record.renews_id else None
        instalments = _instalments(session, record.invoice_id) if record.invoice_id else []
    return panel_markup(request, "insurance/policy_links.html", policy=record, renewed_by=renewed_by, renews=renews,
                        instalments=instalments,
                        may_cancel=actor.can("insurance.policy.edit") and record.state == "active",
                        may_renew=actor.can("insurance.policy.create") and record.state in ("active", "expired"),
                        may_bill=(actor.can("insurance.policy.edit") and actor.can("finance.invoice.create")
                                  and record.state != "cancelled"))


def _instalments(session: Any, invoice_id: int) -> list[Any]:
    from modules.finance.models import Instalment

    return list(session.scalars(select(Instalment).where(Instalment.invoice_id == invoice_id,
                                                         Instalment.deleted_at.is_(None))
                                .order_by(Instalment.position)))
