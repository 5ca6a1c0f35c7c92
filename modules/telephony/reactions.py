"""Telephony's reactions to events, in the transaction of the change: a new partner takes the
earlier calls of its number; a logged call is pushed to its user's browser (the pop-up)."""

from __future__ import annotations

from typing import Any

from kernel import RecordChanged
from modules.telephony.events import CallLogged


def react(event: Any, session: Any, kernel: Any) -> None:
    if isinstance(event, RecordChanged) and event.resource == "base.partner" and event.action == "create":
        from modules.telephony.link_partner import link_calls

        link_calls(session, event.record_id)
    elif isinstance(event, CallLogged):
        from modules.telephony.popup_push import announce

        announce(kernel, session, event)
