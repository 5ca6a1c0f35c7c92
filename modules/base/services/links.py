"""Links that open a new communication already filled in (F9, "log a call" on a task or a report
row), so every page builds them the same way."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from kernel.db import utcnow
from kernel.persian.jalali import format_jalali
from kernel.timezone import to_local

NEW = "/base/communication/new"


def new_communication_url(tz: str, *, partner_id: int | None = None, kind: str = "call", subject: str = "",
                          link: tuple[str, int] | None = None, back: str = "") -> str:
    """The communication form, started now (Tehran wall clock, as the form reads it), about
    ``partner_id``, linked to ``link`` (resource name, record id), returning to ``back``."""
    values: dict[str, Any] = {"partner_id": partner_id} if partner_id else {}
    values |= {"kind": kind, "started_at": format_jalali(to_local(utcnow(), tz), "en", "datetime")}
    if subject:
        values["subject"] = subject[:200]
    if link is not None:
        values["link_resource"], values["link_id"] = link
    if back:
        values["next"] = back
    return f"{NEW}?{urlencode(values)}"
