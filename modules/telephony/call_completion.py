"""A call its device reports twice — ringing (``CallStarted``), then finished (``CallRecord``), as
Asterisk's DialBegin and Cdr do — is one call: both carry the device's ``call_id``, so they
share the call's key, and the record fills in what the ringing could not know."""

from __future__ import annotations

from typing import Any

from devices.events import CallRecord
from modules.telephony.models import Call


def complete_ringing(session: Any, call_id: int, event: CallRecord) -> None:
    """Fill a ringing call with its record; a call already complete (the same record again, after
    a reconnect or a retried sink) is left as it is."""
    call = session.get(Call, call_id)
    if call is None or call.answered is not None:
        return
    call.started_at = event.started_at
    call.ring_seconds = event.ring_seconds
    call.duration_seconds = event.duration_seconds
    call.answered = event.answered
    call.account_code = event.account_code or None
    call.condition = event.condition or None
    call.number = call.number or (event.number[:40] or None)
    call.raw = f"{call.raw}\n\n{event.raw}"
