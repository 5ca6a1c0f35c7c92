"""Reports of the insurance module (each its own permission ``<key>.report`` plus
``insurance.policy.view``; the page, xlsx and PDF come from the kernel), read within the
reader's record scope, over a Jalali period of end dates (default: this Jalali month and the
next two):

- **Expiring policies by month**: per Jalali month, the policies ending in it, their premiums,
  how many were renewed, cancelled and how many are still open (active).
- **Renewal rate per agent**: per agent, the policies ending in the period (cancelled ones left
  out), those renewed, and renewed / ending."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from sqlalchemy import case, func

from kernel import InputError, Report, ReportParam
from kernel.persian.jalali import jalali_month_range, month_name, parse_jalali_date, to_jalali
from kernel.persian.money import format_money
from kernel.persian.numbers import format_number
from kernel.timezone import local_today
from kernel.web.cells import titles_for
from modules.insurance.models import Policy

PERIOD = (ReportParam("from", "From", kind="date"), ReportParam("to", "Until", kind="date"))
VIEW = "insurance.policy.view"


def period(kernel: Any, params: dict[str, str]) -> tuple[dt.date, dt.date]:
    """From/to Jalali days, inclusive; default: the first of this Jalali month to the end of the
    month after next."""
    j = to_jalali(local_today(kernel.config.timezone))
    first = parse_jalali_date(params["from"]) if params.get("from") else jalali_month_range(j.year, j.month)[0]
    if params.get("to"):
        last = parse_jalali_date(params["to"])
    else:
        year, month = divmod(j.year * 12 + j.month + 1, 12)
        last = jalali_month_range(year, month + 1)[1] - dt.timedelta(days=1)
    if last < first:
        raise InputError("The end is before the start")
    return first, last


def _unit(actor: Any) -> Literal["rial", "toman"]:
    return "toman" if getattr(actor, "money_unit", "") == "toman" else "rial"


def _percent(part: int, whole: int, lang: str) -> str:
    if whole <= 0:
        return "—"
    return format_number(round(100 * part / whole), lang) + ("٪" if lang == "fa" else "%")


def expiring(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str, **_: Any) -> Any:
    first, last = period(kernel, params)
    stmt = (kernel.scoped_select(actor, Policy)
            .where(Policy.ends_on >= first, Policy.ends_on <= last)
            .with_only_columns(Policy.ends_on, Policy.state, func.count(), func.sum(Policy.premium))
            .group_by(Policy.ends_on, Policy.state))
    months: dict[tuple[int, int], dict[str, int]] = {}
    for day, state, n, premium in session.execute(stmt):
        j = to_jalali(day)
        row = months.setdefault((j.year, j.month), {})
        row["n"] = row.get("n", 0) + int(n)
        row["premium"] = row.get("premium", 0) + int(premium or 0)
        row[state] = row.get(state, 0) + int(n)
    unit = _unit(actor)
    body = [(f"{month_name(m, lang)} {format_number(y, lang, grouping=False)}" if lang == "fa"
             else f"{month_name(m, lang)} {y}",
             r["n"], format_money(r["premium"], unit, lang), r.get("renewed", 0), r.get("cancelled", 0),
             r.get("active", 0) + r.get("expired", 0))
            for (y, m), r in sorted(months.items())]
    total = [sum(r[k] for r in months.values()) for k in ("n", "premium")]
    if body:
        body.append((kernel.t(lang, "Total"), total[0], format_money(total[1], unit, lang),
                     sum(r.get("renewed", 0) for r in months.values()),
                     sum(r.get("cancelled", 0) for r in months.values()),
                     sum(r.get("active", 0) + r.get("expired", 0) for r in months.values())))
    return ("Month", "Policies ending", "Premiums", "Renewed", "Cancelled", "Not renewed yet"), body


def renewal_rate(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str, **_: Any) -> Any:
    first, last = period(kernel, params)
    renewed = func.sum(case((Policy.state == "renewed", 1), else_=0))
    stmt = (kernel.scoped_select(actor, Policy)
            .where(Policy.ends_on >= first, Policy.ends_on <= last, Policy.state != "cancelled")
            .with_only_columns(Policy.owner_id, func.count(), renewed)
            .group_by(Policy.owner_id))
    rows = [(owner, int(n), int(r or 0)) for owner, n, r in session.execute(stmt)]
    names = titles_for(kernel, session, {"@user": {o for o, _, _ in rows if o}}, actor)
    body = sorted(((names.get(("@user", o), "") if o else "—", n, r, _percent(r, n, lang)) for o, n, r in rows),
                  key=lambda row: (-row[2], row[0]))
    n_all, r_all = sum(n for _, n, _ in rows), sum(r for _, _, r in rows)
    if body:
        body.append((kernel.t(lang, "Total"), n_all, r_all, _percent(r_all, n_all, lang)))
    return ("Agent", "Policies ending", "Renewed", "Renewal rate"), body


REPORTS = [
    Report("insurance.expiring", "Expiring policies by month", expiring, VIEW, params=PERIOD),
    Report("insurance.renewal_rate", "Renewal rate per agent", renewal_rate, VIEW, params=PERIOD),
]
