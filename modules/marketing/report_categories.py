"""Report (MKT-04): messages per send category and Jalali month — how many went, their parts,
their cost, and the responses: messages that came back from the same mobile within N days of
one sent. Skipped messages are not counted. One grouped read per month, on the (category,
created_at) index, through the log's record scope; a month's bounds are Tehran midnights."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, select

from kernel import InputError, Report, ReportParam
from kernel.persian.jalali import jalali_to_date, month_name, parse_jalali_date, to_jalali
from kernel.persian.numbers import parse_int
from kernel.persian.textnorm import to_persian_digits
from kernel.timezone import day_bounds, local_today
from modules.marketing.models import Category, Inbound, Message

DEFAULT_DAYS = 3


def _months(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    j, end = to_jalali(first), to_jalali(last)
    out: list[tuple[int, int]] = []
    y, m = j.year, j.month
    while (y, m) <= (end.year, end.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _responses(session: Any, log: Any, in_month: Any, horizon: dt.datetime, window: dt.timedelta) -> dict[int, int]:
    """Per category, the month's messages answered from their mobile within ``window``: the
    pairs are joined in SQL on the inbound's address index, the window is checked here (date
    arithmetic differs between the engines)."""
    pairs = session.execute(select(log.c.id, log.c.category_id, log.c.created_at, Inbound.received_at)
                            .join(Inbound, Inbound.address == log.c.address)
                            .where(in_month, Inbound.received_at >= log.c.created_at, Inbound.received_at < horizon))
    answered: dict[int, set[int]] = {}
    for mid, category_id, sent_at, received_at in pairs:
        if received_at < sent_at + window:
            answered.setdefault(category_id, set()).add(mid)
    return {c: len(ids) for c, ids in answered.items()}


def by_category(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str,
                **_: Any) -> tuple[list[str], list[list[Any]]]:
    tz = kernel.config.timezone
    today = local_today(tz)
    first = parse_jalali_date(params["from"]) if params.get("from") else jalali_to_date(to_jalali(today).year, 1, 1)
    last = parse_jalali_date(params["to"]) if params.get("to") else today
    if last < first:
        raise InputError("The end is before the start")
    days = parse_int(params["days"]) if params.get("days") else DEFAULT_DAYS
    if not 0 <= days <= 90:
        raise InputError("Between 0 and 90 days")
    names = {cid: name for cid, name in session.execute(select(Category.id, Category.name))}
    log = kernel.scoped_select(actor, Message).where(Message.state != "skipped").subquery()
    rows: list[list[Any]] = []
    for year, month in _months(first, last):
        start = max(first, jalali_to_date(year, month, 1))
        end = min(last, jalali_to_date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1))
        since, until = day_bounds(start, tz)[0], day_bounds(end, tz)[1]
        in_month = and_(log.c.created_at >= since, log.c.created_at < until)
        stmt = (select(log.c.category_id, func.count(), func.sum(log.c.parts), func.sum(log.c.cost))
                .where(in_month).group_by(log.c.category_id).order_by(log.c.category_id))
        answered = _responses(session, log, in_month, until + dt.timedelta(days=days), dt.timedelta(days=days))
        label = f"{month_name(month, lang)} {to_persian_digits(str(year)) if lang == 'fa' else year}"
        for category_id, count, parts, cost in session.execute(stmt):
            rows.append([label, names.get(category_id, ""), int(count), int(parts or 0), int(cost or 0),
                         answered.get(category_id, 0)])
    return ["Month", "Send category", "Messages", "Parts", "Cost (Rials)", "Responses"], rows


REPORT = Report("marketing.by_category", "Messages by category and month", by_category, "marketing.message.view",
                params=(ReportParam("from", "From", "date"), ReportParam("to", "Until", "date"),
                        ReportParam("days", "Responses within (days)")), sequence=80)
