"""Where the device service's events land: each in its own short transaction (SQLite's write
lock is held for one insert, never while a port is read).

Exactly once: a call's key is the sha256 of its device's record time and raw text, unique per
device. The same SMDR line printed again (a PBX re-printing its buffer after a replug, the
service restarted mid-stream, the sink retried after a failed commit) finds its call and adds
nothing; a concurrent insert of the same key loses on the unique constraint and is dropped.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from devices.events import CallRecord, CallStarted, Event, Garbled
from kernel import utcnow
from modules.telephony.call_completion import complete_ringing
from modules.telephony.events import CallLogged
from modules.telephony.matching import canonical_number, match_partner
from modules.telephony.models import Call, DeviceStatus, Extension, GarbledLine
from modules.telephony.models.status import KEEP_GARBLED


def call_key(event: CallRecord | CallStarted) -> str:
    # A device that names its calls (Asterisk's channel unique id) gives the key itself: the
    # ringing and the record of one call, or an event seen again after a reconnect, share it.
    text = f"id|{event.call_id}" if event.call_id else f"{event.started_at.isoformat()}|{' '.join(event.raw.split())}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_event(kernel: Any, device_id: int, event: Event) -> int | None:
    """Log one event of a device; answers the call's id (the existing one for a repeat)."""
    if isinstance(event, Garbled):
        log_garbled(kernel, device_id, event)
        return None
    key = call_key(event)
    try:
        with kernel.session() as session:
            known = session.scalar(select(Call.id).where(Call.device_id == device_id, Call.key == key))
            _touch(session, device_id)
            if known is not None:
                if isinstance(event, CallRecord):
                    complete_ringing(session, int(known), event)
                return int(known)
            call = _new_call(kernel, session, device_id, key, event)
            session.add(call)
            session.flush()
            kernel.emit(CallLogged(call.id, call.direction, call.number or "", call.partner_id, call.user_id,
                                   call.answered), session)
            return int(call.id)
    except IntegrityError:
        with kernel.sessions() as session:  # another writer logged the same record first
            found = session.scalar(select(Call.id).where(Call.device_id == device_id, Call.key == key))
        if found is None:
            raise
        return int(found)


def _new_call(kernel: Any, session: Any, device_id: int, key: str, event: CallRecord | CallStarted) -> Call:
    canonical = canonical_number(event.number, kernel.config.default_area_code)
    user_id = None
    if event.extension:
        user_id = session.scalar(select(Extension.user_id).where(Extension.number == event.extension,
                                                                 Extension.deleted_at.is_(None))
                                 .order_by(Extension.id).limit(1))
    record = event if isinstance(event, CallRecord) else None
    return Call(device_id=device_id, key=key, direction=event.direction, line=event.line[:10] or None,
                extension=event.extension[:10] or None, number=event.number[:40] or None,
                number_canonical=canonical, partner_id=match_partner(session, canonical) if canonical else None,
                user_id=user_id, started_at=event.started_at,
                ring_seconds=record.ring_seconds if record else None,
                duration_seconds=record.duration_seconds if record else 0,
                answered=record.answered if record else None,
                account_code=(record.account_code or None) if record else None,
                condition=(record.condition or None) if record else None, raw=event.raw)


def log_garbled(kernel: Any, device_id: int, event: Garbled) -> None:
    with kernel.session() as session:
        session.add(GarbledLine(device_id=device_id, raw=event.raw[:2000], reason=event.reason[:200]))
        _touch(session, device_id)
        session.flush()
        keep = select(GarbledLine.id).where(GarbledLine.device_id == device_id).order_by(
            GarbledLine.id.desc()).offset(KEEP_GARBLED).limit(1)
        oldest_kept = session.scalar(keep)
        if oldest_kept is not None:
            session.execute(delete(GarbledLine).where(GarbledLine.device_id == device_id,
                                                      GarbledLine.id <= oldest_kept))


def set_state(kernel: Any, device_id: int, state: str, error: str) -> None:
    with kernel.session() as session:
        row = session.get(DeviceStatus, device_id)
        if row is None:
            row = DeviceStatus(device_id=device_id, state=state)
            session.add(row)
        row.state, row.error, row.changed_at = state, error or None, utcnow()


def _touch(session: Any, device_id: int) -> None:
    row = session.get(DeviceStatus, device_id)
    if row is None:
        row = DeviceStatus(device_id=device_id, state="connected")
        session.add(row)
    row.last_line_at = utcnow()
