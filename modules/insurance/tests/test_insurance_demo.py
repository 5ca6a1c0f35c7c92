"""The demo of ``make run EDITION=insurance``: types, insurers, twenty insured persons, a policy
ending in ten days that the first run of the jobs alarms and texts about, a renewed one, one in
instalments — loaded once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from kernel import Alarm, utcnow
from kernel.actor import SYSTEM
from kernel.db import transaction
from kernel.demo import load_demo
from kernel.testing import create_user
from modules.insurance.models import Policy
from modules.insurance.services.scan import run_scan
from modules.marketing.models import Message


def test_the_demo_shows_the_journey_once(make_kernel: Any) -> None:
    kernel = make_kernel(edition="insurance")
    create_user(kernel, "admin", admin=True)
    first = load_demo(kernel)
    assert "insurance: 21 policies of 20 insured persons" in first
    assert "insurance: already loaded" in load_demo(kernel)
    with kernel.sessions() as s:
        states = dict(s.execute(select(Policy.state, func.count()).group_by(Policy.state)).all())
        assert states == {"active": 20, "renewed": 1}
        assert s.scalar(select(func.count()).select_from(Policy).where(Policy.invoice_id.is_not(None))) == 1
    with transaction(kernel.sessions, SYSTEM) as s:  # the scan as the first run of the jobs does it
        assert run_scan(s, kernel, utcnow())["renewal"] == 4
    with kernel.sessions() as s:
        titles = s.scalars(select(Alarm.title)).all()
        assert any("IR-۱۴۰۴-۱۰۰۱" in t for t in titles), titles
        assert "تولد بیمه‌شده: مریم کریمی" in titles
        renewal = s.scalars(select(Message.body).where(Message.body.contains("تمدید"))).all()
        assert len(renewal) == 4 and any("IR-1404-1001" in b for b in renewal)
