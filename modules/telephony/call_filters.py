"""The call list's "calls" filter: incoming, outgoing, or missed (an incoming call nobody
answered: SMDR's ring time with no talk). One condition on indexed columns each."""

from __future__ import annotations

from typing import Any

from kernel import Filter, InputError
from modules.telephony.models import Call

KINDS = (("incoming", "Incoming"), ("outgoing", "Outgoing"), ("missed", "Missed"))


def condition(value: str) -> Any:
    if value == "incoming":
        return Call.direction == "incoming"
    if value == "outgoing":
        return Call.direction == "outgoing"
    if value == "missed":
        return (Call.direction == "incoming") & Call.answered.is_(False)
    raise InputError("Choose one of the listed values")


CALL_KIND = Filter("calls", "Calls", condition, choices=lambda session=None, actor=None: list(KINDS))
