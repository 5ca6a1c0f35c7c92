"""Reports of the base module (BASE-13): who to write to, who talked to whom, and how much."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, func, select

from kernel import InputError, Report, ReportParam
from kernel.models import User
from kernel.persian.jalali import format_jalali, jalali_month_range, parse_jalali_date, to_jalali
from kernel.persian.phones import format_phone
from kernel.persian.textnorm import clean_input, ltr_isolate
from kernel.timezone import to_local, to_utc
from modules.base import scope
from modules.base.choices import COMM_KINDS
from modules.base.models import Communication, Employment, Partner, PartnerRole, Province, RoleKind


def _provinces(session: Any, actor: Any = None, **_: Any) -> list[tuple[str, str]]:
    """The provinces a report's user may pick: a role limited to Isfahan is offered Isfahan alone."""
    stmt = select(Province).where(Province.deleted_at.is_(None)).order_by(Province.sort_key)
    if actor is not None and (cond := scope.record_filter(actor, Province, "view")) is not None:
        stmt = stmt.where(cond)
    return [(str(p.id), p.name) for p in session.scalars(stmt)]


def _roles(session: Any, **_: Any) -> list[tuple[str, str]]:
    rows = session.scalars(select(RoleKind).where(RoleKind.deleted_at.is_(None)).order_by(RoleKind.sequence))
    return [(r.code, r.name) for r in rows]


def user_choices(session: Any, **_: Any) -> list[tuple[str, str]]:
    """The active users as a report's choice (id, name), by name: for a "User" or "Salesperson" parameter."""
    rows = session.execute(select(User.id, User.full_name, User.username).where(User.is_active.is_(True))
                           .order_by(User.full_name, User.username))
    return [(str(i), full or name) for i, full, name in rows]


def optional_int(value: str) -> int | None:
    from kernel.persian.textnorm import to_ascii_digits

    text = to_ascii_digits(value or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise InputError("Choose one of the listed values")
    return int(text)


def day_range(params: dict[str, str], tz: str) -> tuple[dt.datetime, dt.datetime, dt.date, dt.date]:
    """From/to Jalali days (inclusive) as a UTC half-open range; default: this Jalali month so far."""
    today = _local_today(tz)
    jtoday = to_jalali(today)
    first = parse_jalali_date(params["from"]) if params.get("from") else jalali_month_range(jtoday.year, jtoday.month)[0]
    last = parse_jalali_date(params["to"]) if params.get("to") else today
    if last < first:
        raise InputError("The end is before the start")
    low = to_utc(dt.datetime.combine(first, dt.time()), tz)
    high = to_utc(dt.datetime.combine(last + dt.timedelta(days=1), dt.time()), tz)
    return low, high, first, last


def by_position(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str, **_: Any) -> Any:
    """Persons by their current position (all managing directors, for the New-Year letter)."""
    partners = kernel.scoped_select(actor, Partner).subquery()
    # A position belongs to its company: one at a company outside the scope is not listed.
    company = kernel.scoped_select(actor, Partner).with_only_columns(Partner.id, Partner.name, Partner.sort_key).subquery()
    stmt = (select(partners.c.name, Employment.position, Employment.department, company.c.name,
                   Province.name, partners.c.mobile, Employment.is_liaison)
            .select_from(partners)
            .join(Employment, and_(Employment.person_id == partners.c.id, Employment.ended_on.is_(None),
                                   Employment.deleted_at.is_(None),
                                   *kernel.record_conditions(actor, Employment, "view")))
            .join(company, company.c.id == Employment.company_id)
            .outerjoin(Province, Province.id == partners.c.province_id)
            .order_by(Province.sort_key, company.c.sort_key, partners.c.sort_key).limit(5000))
    position = clean_input(params.get("position", ""))
    if position:
        stmt = stmt.where(func.lower(Employment.position).contains(position.lower(), autoescape=True))
    if (pid := optional_int(params.get("province", ""))) is not None:
        stmt = stmt.where(partners.c.province_id == pid)
    if params.get("role"):
        stmt = stmt.where(company.c.id.in_(select(PartnerRole.partner_id).where(PartnerRole.role == params["role"])))
    yes = kernel.t(lang, "Yes")
    rows = [[n, pos or "", dep or "", comp, prov or "", ltr_isolate(format_phone(mob, lang)) if mob else "", yes if liaison else ""]
            for n, pos, dep, comp, prov, mob, liaison in session.execute(stmt)]
    return ["Name", "Position", "Department", "Company", "Province", "Mobile", "Liaison"], rows


def partners_by_province(session: Any, actor: Any, params: dict[str, str], kernel: Any, **_: Any) -> Any:
    """How many partners of each role live in each province."""
    partners = kernel.scoped_select(actor, Partner).subquery()
    stmt = (select(Province.name, PartnerRole.role, func.count())
            .select_from(partners)
            .join(PartnerRole, PartnerRole.partner_id == partners.c.id)
            .outerjoin(Province, Province.id == partners.c.province_id)
            .group_by(Province.name, PartnerRole.role).order_by(Province.name, PartnerRole.role))
    if params.get("role"):
        stmt = stmt.where(PartnerRole.role == params["role"])
    names = dict(_roles(session))
    rows = [[prov or "—", names.get(role, role), n] for prov, role, n in session.execute(stmt)]
    return ["Province", "Role", "Count"], rows


def communications_summary(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str,
                           **_: Any) -> Any:
    """Communications per user and kind over a Jalali period, optionally in one province."""
    low, high, _first, _last = day_range(params, kernel.config.timezone)
    comms = kernel.scoped_select(actor, Communication).where(Communication.started_at >= low,
                                                             Communication.started_at < high)
    if (pid := optional_int(params.get("province", ""))) is not None:
        comms = comms.where(Communication.province_id == pid)
    sub = comms.subquery()
    stmt = (select(User.full_name, User.username, sub.c.kind, func.count())
            .select_from(sub).outerjoin(User, User.id == sub.c.owner_id)
            .group_by(User.full_name, User.username, sub.c.kind).order_by(User.username, sub.c.kind))
    kinds = dict(COMM_KINDS)
    rows = [[full or user or "—", kernel.t(lang, kinds.get(kind, kind)), n]
            for full, user, kind, n in session.execute(stmt)]
    return ["User", "Kind", "Count"], rows


def daily(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str, **_: Any) -> Any:
    """Each user's communications of one Jalali day (today by default)."""
    tz = kernel.config.timezone
    day = params.get("day", "") or format_jalali(_local_today(tz), "en")
    low, high, _first, _last = day_range({"from": day, "to": day}, tz)
    comms = kernel.scoped_select(actor, Communication).where(Communication.started_at >= low,
                                                             Communication.started_at < high)
    if (uid := optional_int(params.get("user", ""))) is not None:
        comms = comms.where(Communication.owner_id == uid)
    sub = comms.subquery()
    stmt = (select(User.full_name, User.username, sub.c.started_at, Partner.name, sub.c.kind, sub.c.subject,
                   sub.c.result)
            .select_from(sub).join(Partner, Partner.id == sub.c.partner_id)
            .outerjoin(User, User.id == sub.c.owner_id)
            .order_by(User.username, sub.c.started_at).limit(5000))
    kinds = dict(COMM_KINDS)
    rows = [[full or user or "—", format_jalali(to_local(at, tz), lang, "datetime")[-5:], partner,
             kernel.t(lang, kinds.get(kind, kind)), subject, (result or "")[:200]]
            for full, user, at, partner, kind, subject, result in session.execute(stmt)]
    return ["User", "Time", "Partner", "Kind", "Subject", "Result"], rows


def _local_today(tz: str) -> dt.date:
    return to_local(dt.datetime.now(dt.UTC).replace(tzinfo=None), tz).date()


REPORTS = [
    Report("base.by_position", "Persons by position", by_position, "base.partner.view", params=(
        ReportParam("position", "Position"), ReportParam("province", "Province", "choice", _provinces),
        ReportParam("role", "Role of the company", "choice", _roles))),
    Report("base.partners_by_province", "Partners by province and role", partners_by_province, "base.partner.view",
           params=(ReportParam("role", "Role", "choice", _roles),)),
    Report("base.communications_summary", "Communications by user and kind", communications_summary,
           "base.communication.view", params=(
               ReportParam("from", "From", "date"), ReportParam("to", "Until", "date"),
               ReportParam("province", "Province", "choice", _provinces))),
    Report("base.daily", "Daily communications of each user", daily, "base.communication.view", params=(
        ReportParam("day", "Day", "date"), ReportParam("user", "User", "choice", user_choices))),
]
