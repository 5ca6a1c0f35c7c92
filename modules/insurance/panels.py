"""The insured person's policies on the partner's 360° profile (sequence 70): number, type,
insurer, end date and state, newest end first, within the reader's scope."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy import or_

from kernel import Panel
from modules.base.panels import PAGE, panel_markup
from modules.insurance.models import Insurer, Policy, PolicyType

SHOWN = 10


def render(request: Any, kernel: Any, session: Any, actor: Any, record: Any, **_: Any) -> Markup | None:
    rows = session.execute(
        kernel.scoped_select(actor, Policy)
        .where(or_(Policy.insured_id == record.id, Policy.holder_id == record.id))
        .join(PolicyType, PolicyType.id == Policy.type_id).join(Insurer, Insurer.id == Policy.insurer_id)
        .with_only_columns(Policy.id, Policy.number, PolicyType.name, Insurer.name, Policy.ends_on, Policy.state,
                           Policy.premium)
        .order_by(Policy.ends_on.desc(), Policy.id.desc()).limit(SHOWN)).all()
    if not rows:
        return None
    return panel_markup(request, "insurance/profile_policies.html", rows=rows, partner=record,
                        more="/insurance/policy/?" + urlencode({"f_insured_id": record.id}))


def panels() -> list[Panel]:
    return [Panel("insurance.policies", PAGE, "Insurance policies", render, permission="insurance.policy.view",
                  sequence=70)]
