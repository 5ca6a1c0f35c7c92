"""The daily scan (INS-01), a periodic job: set-based SQL over every policy, then a few rows of
work for what is new today.

1. Policies still ``active`` whose end has passed become ``expired`` (one UPDATE).
2. Every live active policy ending within ``insurance.alarm_days`` days (today included) gets a
   renewal notice: one ``INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING`` into
   ``insurance_notice``, whose unique (kind, policy, end date) key makes it exactly once — the
   job run twice, or by two workers at the same moment (the second waits for the first's
   uncommitted keys, then inserts nothing). For each policy it returns: an alarm to its agent
   (``kernel.raise_alarm``) and the renewal SMS to the insured (marketing's ``send_sms_to_many``: one send a day), in the
   same transaction as the notice.
3. Insured persons (with a live active policy) whose Jalali birthday or wedding anniversary is
   today (base's ``birthday_md``/``marriage_md``, indexed): the same insert keyed by (kind,
   person, today), so once a year per person, and an alarm to the agent of their policy that
   ends last.

Why ``raise_alarm`` from the scan and not a ``create_reminder`` per policy when it is saved: the
alarm day follows the *setting* ``insurance.alarm_days``, which the agency may change at any
time — a reminder per policy (a million rows) would all have to move; the SMS needs the scan
anyway; and a renewed, cancelled or deleted policy simply is no longer selected.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, exists, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite

from kernel import raise_alarm, utcnow
from kernel.persian.jalali import days_in_month, format_jalali, jalali_to_date, to_jalali
from kernel.persian.numbers import format_code
from kernel.timezone import local_today
from modules.base.models import Partner
from modules.insurance.models import Insurer, Notice, Policy, PolicyType
from modules.insurance.services.settings import alarm_days, renewal_text
from modules.marketing.services.notify import send_sms_to_many

_LIVE_ACTIVE = and_(Policy.state == "active", Policy.deleted_at.is_(None))


def _insert(session: Any) -> Any:
    return (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(Notice)


def _claim(session: Any, rows: Any) -> list[int]:
    """Insert the notices ``rows`` selects (kind, subject_id, on_date, created_at); the subjects
    that were not noticed before."""
    stmt = (_insert(session).from_select(["kind", "subject_id", "on_date", "created_at"], rows)
            .on_conflict_do_nothing(index_elements=["kind", "subject_id", "on_date"])
            .returning(Notice.subject_id))
    return [int(i) for i in session.scalars(stmt)]


def _chunks(ids: list[int], size: int = 2000) -> list[list[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def expire(session: Any, today: dt.date, now: dt.datetime, batch: int = 10_000) -> int:
    """Active policies past their end become expired. The ids come from the partial index of
    active policies walked in end-date order (ORDER BY … LIMIT), which stops at today: a plain
    UPDATE … WHERE ends_on < today is planned over every active policy on PostgreSQL (its
    statistics see most policies ended — the renewed ones)."""
    done = 0
    while True:
        ids = list(session.scalars(select(Policy.id).where(_LIVE_ACTIVE, Policy.ends_on < today)
                                   .order_by(Policy.ends_on).limit(batch)))
        if ids:
            session.execute(update(Policy).where(Policy.id.in_(ids), _LIVE_ACTIVE)
                            .values(state="expired", updated_at=now).execution_options(synchronize_session=False))
            done += len(ids)
        if len(ids) < batch:
            return done


def renewals(kernel: Any, session: Any, today: dt.date, now: dt.datetime) -> list[int]:
    horizon = today + dt.timedelta(days=alarm_days(kernel, session))
    due = select(literal("renewal"), Policy.id, Policy.ends_on, literal(now)).where(
        _LIVE_ACTIVE, Policy.ends_on >= today, Policy.ends_on <= horizon)
    ids = _claim(session, due)
    if not ids:
        return []
    body = renewal_text(kernel, session)
    # Held while the messages are written: the placeholders' session.get finds them in the
    # identity map (which holds objects weakly) instead of reading them once per message.
    tables = [*session.scalars(select(PolicyType)), *session.scalars(select(Insurer))]
    rows = [row for part in _chunks(ids) for row in session.execute(
        select(Policy, Partner.name).join(Partner, Partner.id == Policy.insured_id).where(Policy.id.in_(part))
        .order_by(Policy.id))]
    for policy, name in rows:
        if policy.owner_id:
            raise_alarm(session, user_id=policy.owner_id, link=("insurance.policy", policy.id),
                        title=kernel.t("fa", "Policy {number} of {name} ends on {date}",
                                       number=format_code(policy.number, "fa"),
                                       name=name or "", date=format_jalali(policy.ends_on, "fa")))
    # One send for the day's renewals, each message about its own policy (its placeholders).
    send_sms_to_many(kernel, session, body, [(policy.insured_id, policy) for policy, _ in rows],
                     label=kernel.t("fa", "Renewal reminders of {date}", date=format_jalali(today, "fa")))
    del tables
    return ids


def same_day_years_ago(today: dt.date, years: int) -> dt.date:
    """The same Jalali month and day, ``years`` Jalali years earlier (a birthday of today)."""
    j = to_jalali(today)
    return jalali_to_date(j.year - years, j.month, min(j.day, days_in_month(j.year - years, j.month)))


def _month_days(today: dt.date) -> list[int]:
    """Today's Jalali month*100+day; on 29 Esfand of a common year also 30 Esfand's people."""
    j = to_jalali(today)
    days = [j.month * 100 + j.day]
    if j.month == 12 and j.day == 29 and not j.isleap():
        days.append(1230)
    return days


def occasions(kernel: Any, session: Any, today: dt.date, now: dt.datetime) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    insured = exists().where(Policy.insured_id == Partner.id, _LIVE_ACTIVE)
    for kind, column, title in (("birthday", Partner.birthday_md, "Birthday of the insured {name}"),
                                ("marriage", Partner.marriage_md, "Wedding anniversary of the insured {name}")):
        rows = select(literal(kind), Partner.id, literal(today), literal(now)).where(
            column.in_(_month_days(today)), Partner.kind == "person", Partner.deleted_at.is_(None), insured)
        people = _claim(session, rows)
        agents: dict[int, tuple[str, int]] = {}  # person → (name, agent of their policy ending last)
        for part in _chunks(people):
            for person, name, agent in session.execute(
                    select(Partner.id, Partner.name, Policy.owner_id).join(Policy, Policy.insured_id == Partner.id)
                    .where(Partner.id.in_(part), _LIVE_ACTIVE, Policy.owner_id.is_not(None))
                    .order_by(Partner.id, Policy.ends_on.desc(), Policy.id.desc())):
                agents.setdefault(int(person), (name or "", int(agent)))
        for person in people:
            if person in agents:
                name, agent = agents[person]
                raise_alarm(session, user_id=agent, link=("base.partner", person), title=kernel.t("fa", title, name=name))
            found.append((kind, person))
    return found


def run_scan(session: Any, kernel: Any, now: dt.datetime | None = None) -> dict[str, int]:
    """The whole scan in the job's one transaction; what it did, counted."""
    now = now or utcnow()
    today = local_today(kernel.config.timezone, now)
    expired = expire(session, today, now)
    renewed = renewals(kernel, session, today, now)
    dates = occasions(kernel, session, today, now)
    return {"expired": expired, "renewal": len(renewed), "occasions": len(dates)}
