"""The caller's last communication on telephony's incoming-call pop-up
(``telephony_caller_facts``): when, and what about. Base does not depend on telephony: the hook
is optional and nothing of telephony is imported."""

from __future__ import annotations

from typing import Any

from kernel.persian.jalali import format_jalali
from kernel.timezone import to_local
from modules.base.models import Communication


def facts(kernel: Any, session: Any, actor: Any, partner_id: int, lang: str) -> list[tuple[int, str, str]]:
    if not actor.can("base.communication.view"):
        return []
    # ix_base_communication_partner_started gives the newest first.
    last = session.scalars(kernel.scoped_select(actor, Communication)
                           .where(Communication.partner_id == partner_id)
                           .order_by(Communication.started_at.desc(), Communication.id.desc()).limit(1)).first()
    if last is None:
        return [(30, "Last communication", kernel.t(lang, "None yet"))]
    when = format_jalali(to_local(last.started_at, kernel.config.timezone), lang, "datetime")
    return [(30, "Last communication", f"{when} — {last.subject}")]
