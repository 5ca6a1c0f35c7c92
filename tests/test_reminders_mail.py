"""Alarms by e-mail: through the outbox to a real SMTP server, once per alarm (TSK-03, KER-11),
in an edition without the tasks module."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from kernel.jobs import OutboxMessage, run_due
from kernel.models import User
from kernel.persian.jalali import jalali_to_date, to_jalali
from kernel.reminders.models import Alarm
from kernel.testing import create_record, create_user
from kernel.timezone import local_today, to_utc

Y = to_jalali(local_today()).year + 1


def sara_with_email(kernel: Any) -> int:
    uid = create_user(kernel, "sara", perms=("kernel.reminder.*",))
    with kernel.session() as s:
        user = s.get(User, uid)
        assert user is not None
        user.email = "sara@sepidar.example"
    return uid


def test_an_alarm_is_mailed_once_in_the_users_language(make_kernel: Any, smtp_server: Any) -> None:
    kernel = make_kernel(edition="tier1", smtp_host="127.0.0.1", smtp_port=smtp_server.port,
                         smtp_from="crm@sepidar.example", public_url="https://crm.sepidar.example")
    uid = sara_with_email(kernel)
    at = to_utc(dt.datetime.combine(jalali_to_date(Y, 1, 15), dt.time(9)))
    create_record(kernel, uid, "kernel.reminder", title="تمدید بیمه‌نامهٔ آقای رضایی", first_at=at, repeat="none",
                  by_email=True)
    create_record(kernel, uid, "kernel.reminder", title="فقط روی صفحه", first_at=at, repeat="none")
    run_due(kernel, now=at + dt.timedelta(seconds=30))  # the scan raises alarms and queues the mail
    run_due(kernel, now=at + dt.timedelta(seconds=31))  # the outbox sends it
    run_due(kernel, now=at + dt.timedelta(minutes=2))
    assert len(smtp_server.messages) == 1
    mail = smtp_server.messages[0]
    assert mail["To"] == "sara@sepidar.example" and mail["Subject"] == "یادآوری: تمدید بیمه‌نامهٔ آقای رضایی"
    body = mail.get_content()
    assert f"{Y}/01/15 09:00".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in body
    assert "https://crm.sepidar.example/kernel/reminder/" in body
    with kernel.sessions() as s:
        assert [m.status for m in s.scalars(select(OutboxMessage))] == ["done"]
        # Both rang on screen; only the one asked for went by e-mail.
        assert sorted(s.scalars(select(Alarm.title))) == ["تمدید بیمه‌نامهٔ آقای رضایی", "فقط روی صفحه"]


def test_without_an_smtp_server_the_message_waits_failed_for_an_administrator(make_kernel: Any) -> None:
    kernel = make_kernel(edition="tier1")
    uid = sara_with_email(kernel)
    at = to_utc(dt.datetime.combine(jalali_to_date(Y, 2, 1), dt.time(9)))
    create_record(kernel, uid, "kernel.reminder", title="یادآوری", first_at=at, repeat="none", by_email=True)
    for minutes in range(0, 400, 30):  # five attempts with back-off
        run_due(kernel, now=at + dt.timedelta(minutes=minutes, seconds=30))
    with kernel.sessions() as s:
        message = s.scalars(select(OutboxMessage)).one()
        assert message.status == "failed" and "PEYVAND_SMTP_HOST" in (message.last_error or "")
