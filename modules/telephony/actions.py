"""The call list's row menu: "Log the call" opens the call's page with its card."""

from __future__ import annotations

from kernel import RecordAction


def record_actions() -> list[RecordAction]:
    return [RecordAction("telephony.log_call", "Log the call", "/telephony/call/{id}",
                         permission="base.communication.create", resources=("telephony.call",), sequence=10)]
