"""A partner saved with a number that called before (the pop-up's "new partner", or anyone
typing them in later) takes those calls: unknown calls with that canonical number are linked to
it, in the transaction that creates it. One indexed UPDATE per number (ix on number_canonical)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from modules.base.models import Partner
from modules.telephony.models import Call


def link_calls(session: Any, partner_id: int) -> int:
    partner = session.get(Partner, partner_id)
    if partner is None or partner.deleted_at is not None:
        return 0
    numbers = {n for n in (partner.mobile, partner.phone) if n}
    if not numbers:
        return 0
    result = session.execute(update(Call).where(Call.number_canonical.in_(numbers), Call.partner_id.is_(None))
                             .values(partner_id=partner_id).execution_options(synchronize_session=False))
    return int(result.rowcount or 0)
