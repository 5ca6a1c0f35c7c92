""""Log the call" in one click: a base communication of kind call for the call's partner, with
its direction, start, end (start + duration) and the user who logs it; the call remembers it,
so a second click (another tab, a colleague) is told it is already logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from kernel import Conflict, InputError
from kernel.persian.textnorm import clean_input
from kernel.records import create_record
from modules.base.models import Communication
from modules.telephony.caller import is_logged, readable_call
from modules.telephony.duration import duration_text
from modules.telephony.models import Call

NOTE_MAX = 2000
SUBJECT_MAX = 200


def subject_of(kernel: Any, call: Call, lang: str) -> str:
    """"Incoming call (2:05)": the length shows on the partner's timeline, which lists subjects."""
    what = str(kernel.t(lang, "Incoming call" if call.direction == "incoming" else "Outgoing call"))
    return f"{what} ({duration_text(call.duration_seconds, lang)})" if call.duration_seconds else what


def log_call(kernel: Any, session: Any, actor: Any, call_id: int, note: str, lang: str = "fa") -> Communication:
    """Inside the caller's write transaction; the row lock (PostgreSQL) or SQLite's write lock
    makes two simultaneous clicks write one communication."""
    call, visible = readable_call(kernel, session, actor, call_id)
    if not visible:
        raise Conflict("You may not see this caller; their call cannot be logged by you")
    # Locked and re-read: the row loaded above may predate a concurrent click's commit.
    call = session.scalar(select(Call).where(Call.id == call.id).with_for_update()
                          .execution_options(populate_existing=True))
    if call.partner_id is None:
        raise Conflict("The number belongs to no partner yet: create the partner first")
    if is_logged(session, call):
        raise Conflict("This call is already logged")
    note = clean_input(note or "")
    if len(note) > NOTE_MAX:
        raise InputError("The note is too long")
    started = call.started_at
    ended = started + dt.timedelta(seconds=call.duration_seconds) if call.duration_seconds else None
    comm: Communication = create_record(kernel, session, actor, kernel.resources["base.communication"], {
        "partner_id": call.partner_id, "kind": "call", "direction": "in" if call.direction == "incoming" else "out",
        "subject": subject_of(kernel, call, lang)[:SUBJECT_MAX], "result": note or None,
        "started_at": started, "ended_at": ended, "link_resource": "telephony.call", "link_id": call.id})
    call.communication_id = comm.id
    session.flush()
    return comm
