"""A club card swiped or scanned with no field focused (DEV-02): its holder's profile opens.

``base_partner.card_number`` is indexed; the lookup goes through the user's record scope, so the
card of a partner the user may not see is "not found", as a card nobody holds."""

from __future__ import annotations

from typing import Any

from kernel.scan import ScanAnswer
from modules.base.models import Partner

PRIORITY = 10  # below finance's line added to the proforma being edited


def resolve(kernel: Any, actor: Any, code: str) -> ScanAnswer | None:
    if not actor.can("base.partner.view"):
        return None
    stmt = (kernel.scoped_select(actor, Partner).where(Partner.card_number == code)
            .with_only_columns(Partner.id).order_by(Partner.id).limit(1))
    with kernel.sessions() as session:
        partner_id = session.scalar(stmt)
    if partner_id is None:
        return None
    return ScanAnswer(open=f"/base/partner/{partner_id}/profile", priority=PRIORITY)
