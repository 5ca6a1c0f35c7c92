"""Shared steps of the insurance tests: a small agency (types, insurers, agents, insured persons)
and running the jobs by the clock until the SMS outbox is empty."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kernel.actor import SYSTEM
from kernel.persian.jalali import to_jalali
from kernel.persian.textnorm import to_persian_digits
from kernel.testing import create_record, create_user
from kernel.timezone import local_today
from modules.insurance.services.scan import same_day_years_ago
from modules.marketing.tests.sms_helpers import drain as sms_drain

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
AGENT_PERMS: tuple[str, ...] = ("insurance.policy.view", "insurance.policy.create", "insurance.policy.edit", "insurance.policy.export",
               "insurance.policy.print",
               "insurance.policy_type.view", "insurance.insurer.view", "base.partner.view", "base.partner.create",
               "finance.invoice.view", "finance.invoice.create", "finance.invoice.edit", "finance.invoice.plan",
               "finance.price.override",
               "insurance.expiring.report", "insurance.renewal_rate.report")


def jalali(d: dt.date, persian: bool = True) -> str:
    j = to_jalali(d)
    text = f"{j.year:04d}/{j.month:02d}/{j.day:02d}"
    return to_persian_digits(text) if persian else text


def agency(kernel: Any) -> dict[str, Any]:
    """Two agents of one team and their manager; types, insurers; an insured person whose
    birthday is today, another person, a company."""
    today = local_today(kernel.config.timezone)
    w: dict[str, Any] = {"today": today}
    w["sara"] = create_user(kernel, "sara", perms=AGENT_PERMS, scope="own", team="agency")
    w["reza"] = create_user(kernel, "reza", perms=AGENT_PERMS, scope="own", team="agency")
    w["mina"] = create_user(kernel, "mina", perms=(*AGENT_PERMS, "insurance.settings", "insurance.policy.*"),
                            scope="team", team="agency")
    w["car"] = create_record(kernel, None, "insurance.policy_type", name="بدنه", sequence=10)
    w["life"] = create_record(kernel, None, "insurance.policy_type", name="عمر", sequence=20)
    w["asia"] = create_record(kernel, None, "insurance.insurer", name="بیمهٔ آسیا")
    w["iran"] = create_record(kernel, None, "insurance.insurer", name="بیمهٔ ایران")
    born = same_day_years_ago(today, 35)
    w["maryam"] = create_record(kernel, w["sara"], "base.partner", kind="person", first_name="مریم", last_name="کریمی",
                                mobile="+989121110000", birthday=born,
                                marriage_date=same_day_years_ago(today, 12))
    w["ali"] = create_record(kernel, w["sara"], "base.partner", kind="person", first_name="علی", last_name="رضایی",
                             mobile="+989121110001")
    w["firm"] = create_record(kernel, w["sara"], "base.partner", kind="company", name="شرکت پارس")
    return w


def drain(kernel: Any, now: dt.datetime) -> dt.datetime:
    """Run the jobs by the clock from ``now``, a minute at a time, until no SMS waits."""
    return sms_drain(kernel, start=now, step=dt.timedelta(minutes=1))


__all__ = ["AGENT_PERMS", "ENGINES", "SYSTEM", "agency", "drain", "jalali"]
