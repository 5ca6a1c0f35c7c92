"""The agency's settings: how many days before a policy ends its agent is alarmed and the insured
gets the renewal SMS, and the texts of the renewal and thank-you SMS (placeholders fill)."""

from __future__ import annotations

from typing import Any

ALARM_DAYS = "insurance.alarm_days"
RENEWAL_TEXT = "insurance.renewal_sms"
THANKS_TEXT = "insurance.thanks_sms"
DEFAULT_DAYS = 15
DEFAULT_RENEWAL = ("{name} گرامی، بیمه‌نامهٔ {policy_type} شما به شمارهٔ {policy_number} در تاریخ {policy_end} "
                   "به پایان می‌رسد. برای تمدید با کارگزار خود تماس بگیرید.")
DEFAULT_THANKS = ("{name} گرامی، از خرید بیمه‌نامهٔ {policy_type} ({policy_insurer}) سپاسگزاریم. "
                  "شمارهٔ بیمه‌نامه: {policy_number}")


def alarm_days(kernel: Any, session: Any) -> int:
    value = kernel.setting(session, ALARM_DAYS, DEFAULT_DAYS)
    return value if isinstance(value, int) and 1 <= value <= 365 else DEFAULT_DAYS


def renewal_text(kernel: Any, session: Any) -> str:
    return str(kernel.setting(session, RENEWAL_TEXT, "") or DEFAULT_RENEWAL)


def thanks_text(kernel: Any, session: Any) -> str:
    return str(kernel.setting(session, THANKS_TEXT, "") or DEFAULT_THANKS)
