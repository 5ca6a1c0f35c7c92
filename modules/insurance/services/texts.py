"""The placeholders the insurance SMS texts read (``{policy_number}``, ``{policy_type}``,
``{policy_insurer}``, ``{policy_end}``) from the policy the message is about, and the thank-you SMS
written in the transaction that creates a policy."""

from __future__ import annotations

from typing import Any

from kernel.persian.jalali import format_jalali
from modules.insurance.models import Insurer, Policy, PolicyType


def _policy(c: Any) -> Policy | None:
    return c.record if isinstance(c.record, Policy) else None


def _number(c: Any) -> str:
    p = _policy(c)
    return p.number if p is not None else ""  # as issued: typed back to the agency as is


def _type(c: Any) -> str:
    p = _policy(c)
    row = c.session.get(PolicyType, p.type_id) if p is not None else None
    return row.name if row is not None else ""


def _insurer(c: Any) -> str:
    p = _policy(c)
    row = c.session.get(Insurer, p.insurer_id) if p is not None else None
    return row.name if row is not None else ""


def _end(c: Any) -> str:
    p = _policy(c)
    return format_jalali(p.ends_on, c.lang) if p is not None else ""


def placeholders() -> list[Any]:
    from modules.marketing.placeholders import Placeholder

    return [Placeholder("policy_number", "Policy number", _number, sequence=70),
            Placeholder("policy_type", "Policy type", _type, sequence=71),
            Placeholder("policy_insurer", "Insurer", _insurer, sequence=72),
            Placeholder("policy_end", "Policy end date", _end, sequence=73)]


def send_about(kernel: Any, session: Any, policy: Policy, body: str, label: str) -> None:
    """One SMS to the policy's insured about it, queued in the caller's transaction."""
    from modules.marketing.services.notify import send_sms

    send_sms(kernel, session, body, partner_id=policy.insured_id, about=policy, label=label[:300])


def thank(kernel: Any, session: Any, policy_id: int) -> None:
    """The thank-you SMS of a new policy (its creation's transaction)."""
    from modules.insurance.services.settings import thanks_text

    policy = session.get(Policy, policy_id)
    if policy is None:
        return
    send_about(kernel, session, policy, thanks_text(kernel, session),
               kernel.t("fa", "Thank-you for policy {number}", number=policy.number))
