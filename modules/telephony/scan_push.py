"""A serial reader's scan to its workstation user's browser (DEV-02): ``push_to_user`` with kind
``devices.scan``, where ``kernel/static/kernel/scan.js`` treats it as a keyboard-wedge scan (into
the focused field, else ``/scan``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from devices.events import Scanned
from modules.telephony.models import Device

PUSH_KIND = "devices.scan"


def push_scan(kernel: Any, device_id: int, event: Scanned) -> bool:
    """Push the scan to the device's user, in its own transaction; answers whether it went to
    someone (a reader with no user, or a deleted one, only has its line touched)."""
    from kernel import push_to_user
    from modules.telephony.sink import _touch

    with kernel.session() as session:
        _touch(session, device_id)
        user_id = session.scalar(select(Device.user_id).where(Device.id == device_id, Device.deleted_at.is_(None)))
        if user_id is None:
            return False
        push_to_user(session, int(user_id), PUSH_KIND, {"code": event.code, "format": event.format})
        return True
