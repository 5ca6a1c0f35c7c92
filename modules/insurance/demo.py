"""Demo data of the insurance agency (edition ``insurance``): policy types and insurers, twenty
insured persons, their policies — one ending in ten days (the scan alarms the agent and queues
the renewal SMS at the first run of the jobs), one already renewed, one whose premium is paid in
four instalments through finance's payment plan, one of them born today."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from kernel.models import User
from kernel.records import create_record
from kernel.security import actor_for
from kernel.timezone import local_today
from modules.insurance.models import Policy
from modules.insurance.services.scan import same_day_years_ago

DEMO_MARK = "insurance.demo"
TYPES = ("بدنه", "شخص ثالث", "عمر", "آتش‌سوزی", "درمان")
INSURERS = ("بیمهٔ ایران", "بیمهٔ آسیا", "بیمهٔ دانا", "بیمهٔ البرز")
PEOPLE = (("مریم", "کریمی", "female"), ("علی", "رضایی", "male"), ("زهرا", "احمدی", "female"),
          ("حسین", "محمدی", "male"), ("فاطمه", "حسینی", "female"), ("رضا", "موسوی", "male"),
          ("سارا", "جعفری", "female"), ("مهدی", "صادقی", "male"), ("نرگس", "رحیمی", "female"),
          ("امیر", "کاظمی", "male"), ("لیلا", "قاسمی", "female"), ("محمد", "نوری", "male"),
          ("الهام", "یزدانی", "female"), ("سعید", "طاهری", "male"), ("نازنین", "فراهانی", "female"),
          ("پویا", "شریفی", "male"), ("مینا", "اکبری", "female"), ("کاوه", "بهرامی", "male"),
          ("شیرین", "سلطانی", "female"), ("بهرام", "نیک‌نام", "male"))
# Days from today to each person's policy end; the first ends in ten days (the journey).
ENDS = (10, 45, 120, 200, -40, 300, 5, 14, 60, 90, 150, 250, 330, 30, 75, 180, 220, 280, 350, 8)
PREMIUMS = (48_000_000, 9_500_000, 120_000_000, 15_000_000, 36_000_000)


def load(kernel: Any, session: Any) -> str:
    if kernel.setting(session, DEMO_MARK, ""):
        return "already loaded"
    admin = session.scalars(select(User).where(User.is_admin.is_(True)).order_by(User.id)).first()
    if admin is None:
        return "no administrator yet: nothing added"
    actor = actor_for(admin)
    res = kernel.resources
    types = [create_record(kernel, session, actor, res["insurance.policy_type"], {"name": n, "sequence": i * 10}).id
             for i, n in enumerate(TYPES, 1)]
    insurers = [create_record(kernel, session, actor, res["insurance.insurer"], {"name": n}).id for n in INSURERS]
    today = local_today(kernel.config.timezone)
    people = []
    for i, (first, last, gender) in enumerate(PEOPLE):
        born = same_day_years_ago(today, 30) if i == 0 else dt.date(1975 + i, 1 + i % 12, 1 + (i * 3) % 27)
        people.append(create_record(kernel, session, actor, res["base.partner"], {
            "kind": "person", "first_name": first, "last_name": last, "gender": gender,
            "mobile": f"+98912{3000000 + i * 1117:07d}", "birthday": born}).id)
    policies = []
    for i, person in enumerate(people):
        ends = today + dt.timedelta(days=ENDS[i])
        starts = ends - dt.timedelta(days=365)
        policies.append(create_record(kernel, session, actor, res["insurance.policy"], {
            "number": f"{'IR AS DA AL'.split()[i % 4]}-{1404 + (i % 2)}-{1001 + i}", "type_id": types[i % len(types)],
            "insurer_id": insurers[i % len(insurers)], "insured_id": person, "starts_on": starts, "ends_on": ends,
            "premium": PREMIUMS[i % len(PREMIUMS)]}).id)
    # The one that ended forty days ago was renewed for a year.
    old = policies[4]
    create_record(kernel, session, actor, res["insurance.policy"], {
        "number": "DA-1405-2001", "type_id": types[4], "insurer_id": insurers[0], "insured_id": people[4],
        "starts_on": today - dt.timedelta(days=40), "ends_on": today + dt.timedelta(days=325),
        "premium": 39_000_000, "renews_id": old})
    for row in session.scalars(select(Policy)):  # the administrator sold them: theirs are the alarms
        row.owner_id = admin.id
    session.flush()
    from modules.insurance.services.billing import bill

    bill(kernel, session, actor, policies[2], count=4, first=today + dt.timedelta(days=15))
    kernel.set_setting(session, DEMO_MARK, True)
    return f"{len(policies) + 1} policies of {len(people)} insured persons"
