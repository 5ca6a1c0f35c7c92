"""The agency's settings (``/insurance/settings``): the alarm days and the SMS texts, refused in
Persian when wrong (nothing changed), and followed by the next scan; a cancelled policy is
neither alarmed about nor renewable."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import select

from kernel import utcnow
from kernel.db import transaction
from kernel.testing import create_record, csrf
from modules.insurance.models import Policy
from modules.insurance.services.scan import run_scan
from modules.insurance.services.settings import DEFAULT_RENEWAL
from modules.insurance.tests.insurance_helpers import ENGINES, SYSTEM, agency
from modules.marketing.models import Message


@pytest.mark.parametrize("engine", ENGINES)
def test_settings_move_the_scan_and_a_cancelled_policy_stays_quiet(make_kernel: Any, web_client: Any,
                                                                   engine: str) -> None:
    kernel = make_kernel(edition="insurance", engine=engine)
    w = agency(kernel)
    today = w["today"]

    def policy(number: str, days: int) -> int:
        return create_record(kernel, w["sara"], "insurance.policy", number=number, type_id=w["life"],
                             insurer_id=w["iran"], insured_id=w["ali"], starts_on=today - dt.timedelta(days=300),
                             ends_on=today + dt.timedelta(days=days), premium=5_000_000)

    in25, cancelled, ended = policy("L-25", 25), policy("L-5", 5), policy("L-OLD", -1)
    sara, mina = web_client(kernel, "sara"), web_client(kernel, "mina")
    assert sara.get("/insurance/settings").status_code == 403
    token = csrf(mina, "/insurance/settings")
    page = mina.get("/insurance/settings").text
    assert "۱۵" in page and DEFAULT_RENEWAL.split("،")[0] in page

    for data, text in (({"days": "سی"}, "۱ تا ۳۶۵"), ({"days": "۴۰۰"}, "۱ تا ۳۶۵"),
                       ({"renewal": "{name} عزیز {balance_text}"}, "{balance_text}")):
        form = {"csrf": token, "days": "۳۰", "renewal": "{name} عزیز، بیمه‌نامهٔ {policy_number} رو به پایان است",
                "thanks": "سپاس {name}", **data}
        resp = mina.post("/insurance/settings", data=form)
        assert resp.status_code == 422 and text in resp.text, re.findall(r"role=.alert.>([^<]*)<", resp.text)
    with kernel.sessions() as s:
        assert kernel.setting(s, "insurance.alarm_days", None) is None

    resp = mina.post("/insurance/settings", follow_redirects=False, data={
        "csrf": token, "days": "۳۰", "renewal": "{name} عزیز، بیمه‌نامهٔ {policy_number} رو به پایان است",
        "thanks": "سپاس {name}"})
    assert resp.status_code == 303

    # Cancelled: no renewal, no alarm; a second cancel is refused.
    assert mina.post(f"/insurance/policy/{cancelled}/cancel", data={"csrf": token},
                     follow_redirects=False).status_code == 303
    again = mina.post(f"/insurance/policy/{cancelled}/cancel", data={"csrf": token})
    assert again.status_code == 409 and "فعال" in again.text
    refused = sara.get(f"/insurance/policy/{cancelled}/renew")
    assert refused.status_code == 409 and "لغوشده" in refused.text

    with transaction(kernel.sessions, SYSTEM) as s:
        # 25 days ahead is within the new 30; yesterday's end expires.
        assert run_scan(s, kernel, utcnow()) == {"expired": 1, "renewal": 1, "occasions": 0}
    with kernel.sessions() as s:
        bodies = s.scalars(select(Message.body).where(Message.body.contains("رو به پایان"))).all()
        assert bodies == ["علی رضایی عزیز، بیمه‌نامهٔ L-25 رو به پایان است"]
        assert [s.get(Policy, i).state for i in (in25, cancelled, ended)] == ["active", "cancelled", "expired"]
