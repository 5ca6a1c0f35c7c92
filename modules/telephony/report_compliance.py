"""The compliance report (FAQ 19): answered incoming calls of known partners with no
communication logged for that partner from a minute before the call until N minutes after it
ended, per user and day, each with a link to the call's page where one click logs it.

One range on ``ix_telephony_call_started`` and, per call in it, one ``NOT EXISTS`` probe on
``ix_base_communication_partner_started`` (partner_id, started_at): a month of a million calls
reads the month's calls once and a few index entries each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, literal, select

from kernel import InputError, Report, ReportParam
from kernel.models import User
from kernel.persian.jalali import format_jalali
from kernel.persian.textnorm import to_ascii_digits
from kernel.report_cells import Linked
from kernel.timezone import to_local
from modules.base.models import Communication, Partner
from modules.base.reports import day_range, optional_int, user_choices
from modules.telephony.duration import duration_text
from modules.telephony.models import Call
from modules.telephony.sql_time import PlusSeconds

DEFAULT_MINUTES = 30
MAX_MINUTES = 24 * 60
GRACE_SECONDS = 60  # a communication typed by hand has no seconds: 10:00 covers a call at 10:00:35
ROWS = 5000


def minutes_of(params: dict[str, str]) -> int:
    text = to_ascii_digits(params.get("minutes", "") or "").strip()
    if not text:
        return DEFAULT_MINUTES
    if not text.isdigit() or not 1 <= int(text) <= MAX_MINUTES:
        raise InputError("Enter the minutes as a whole number from 1 to 1440")
    return int(text)


def unlogged_calls(kernel: Any, actor: Any, low: Any, high: Any, minutes: int, user_id: int | None) -> Any:
    """The statement of the report's calls (also what the benchmark times)."""
    call = kernel.scoped_select(actor, Call).where(
        Call.started_at >= low, Call.started_at < high, Call.direction == "incoming", Call.answered.is_(True),
        Call.partner_id.is_not(None)).subquery()
    logged = exists().where(
        Communication.partner_id == call.c.partner_id,
        Communication.started_at >= PlusSeconds(call.c.started_at, literal(-GRACE_SECONDS)),
        Communication.started_at <= PlusSeconds(call.c.started_at,
                                                call.c.duration_seconds + literal(minutes * 60), upper=True),
        Communication.deleted_at.is_(None))
    stmt = (select(call.c.id, call.c.started_at, call.c.duration_seconds, Partner.name,
                   User.full_name, User.username)
            .select_from(call)
            .join(Partner, and_(Partner.id == call.c.partner_id, *kernel.record_conditions(actor, Partner, "view")))
            .outerjoin(User, User.id == call.c.user_id)
            .where(~logged)
            .order_by(User.username, call.c.started_at, call.c.id).limit(ROWS))
    if user_id is not None:
        stmt = stmt.where(call.c.user_id == user_id)
    return stmt


def compliance(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str, **_: Any) -> Any:
    tz = kernel.config.timezone
    low, high, _first, _last = day_range(params, tz)
    stmt = unlogged_calls(kernel, actor, low, high, minutes_of(params), optional_int(params.get("user", "")))
    rows = []
    for call_id, at, duration, partner, full, user in session.execute(stmt):
        local = to_local(at, tz)
        rows.append([format_jalali(local.date(), lang), full or user or "—",
                     format_jalali(local, lang, "datetime")[-5:], partner, duration_text(duration, lang),
                     Linked(kernel.t(lang, "Log the call"), f"/telephony/call/{call_id}")])
    return ["Day", "User", "Time", "Partner", "Duration", "Action"], rows


REPORTS = [
    Report("telephony.compliance", "Answered calls not logged", compliance, "telephony.call.view", params=(
        ReportParam("from", "From", "date"), ReportParam("to", "Until", "date"),
        ReportParam("user", "User", "choice", user_choices), ReportParam("minutes", "Minutes to log a call"))),
]
