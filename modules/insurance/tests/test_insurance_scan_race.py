"""Two workers running the daily scan at the same moment (two kernels on one database, released
together): every policy in the window is alarmed and texted once, whoever wins."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from sqlalchemy import func, select

from kernel import Alarm, utcnow
from kernel.db import transaction
from kernel.testing import create_record
from modules.insurance.services.scan import run_scan
from modules.insurance.tests.insurance_helpers import ENGINES, SYSTEM, agency
from modules.marketing.models import Message


@pytest.mark.parametrize("engine", ENGINES)
def test_two_workers_scanning_at_once_alarm_and_text_once(make_kernel: Any, engine: str) -> None:
    kernel = make_kernel(edition="insurance", engine=engine)
    w = agency(kernel)
    for i in range(12):
        create_record(kernel, w["sara"], "insurance.policy", number=f"R-{i}", type_id=w["car"], insurer_id=w["asia"],
                      insured_id=w["ali"], starts_on=w["today"] - dt.timedelta(days=300),
                      ends_on=w["today"] + dt.timedelta(days=i), premium=1_000_000)
    with kernel.sessions() as s:
        thanks = s.scalar(select(func.count()).select_from(Message))
    other = make_kernel(edition="insurance", same_database_as=kernel, migrate=False)
    now = utcnow()
    start = threading.Barrier(2)
    done: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def worker(k: Any) -> None:
        try:
            start.wait(5)
            with transaction(k.sessions, SYSTEM) as s:
                done.append(run_scan(s, k, now))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in (kernel, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert sorted(d["renewal"] for d in done) == [0, 12]
    with kernel.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Alarm).where(Alarm.user_id == w["sara"])) == 12
        assert s.scalar(select(func.count()).select_from(Message)) == thanks + 12
