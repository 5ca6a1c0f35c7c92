"""Renewal (INS-01): "Renew" on a policy opens a new policy's form prefilled with the next period,
the same insured, holder, type, insurer and premium, linked to the old one (``renews_id``). When
the new policy is saved, the old one becomes ``renewed`` in the same transaction — exactly once:
a conditional UPDATE claims it, and a unique index on ``renews_id`` refuses a second renewal."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from kernel import Conflict, InputError
from kernel.persian.jalali import days_in_month, jalali_to_date, to_jalali
from modules.insurance.models import Policy

RENEWABLE = ("active", "expired")


def renewal_refusal(session: Any, policy_id: int) -> InputError | None:
    """Why this policy cannot be renewed, or None."""
    old = session.get(Policy, policy_id)
    if old is None or old.deleted_at is not None:
        return InputError("No such record")
    if old.state == "cancelled":
        return InputError("A cancelled policy cannot be renewed")
    if old.state == "renewed":
        return InputError("This policy has already been renewed")
    return None


def next_period(starts: dt.date, ends: dt.date) -> tuple[dt.date, dt.date]:
    """The next period: from the old end, as long as the old one in Jalali years and months
    (a one-year policy from 1404/09/15 to 1405/09/15 renews to 1406/09/15), else in days."""
    a, b = to_jalali(starts), to_jalali(ends)
    months = (b.year - a.year) * 12 + (b.month - a.month)
    if months > 0 and a.day == b.day:
        total = b.year * 12 + (b.month - 1) + months
        year, month = divmod(total, 12)

        return ends, jalali_to_date(year, month + 1, min(b.day, days_in_month(year, month + 1)))
    return ends, ends + (ends - starts)


def prefill_url(old: Policy) -> str:
    """The new policy's form, prefilled (Jalali dates, as the form reads them)."""
    starts, ends = next_period(old.starts_on, old.ends_on)

    def jal(d: dt.date) -> str:
        j = to_jalali(d)
        return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"

    query = {"type_id": old.type_id, "insurer_id": old.insurer_id, "insured_id": old.insured_id,
             "starts_on": jal(starts), "ends_on": jal(ends), "premium": old.premium, "renews_id": old.id}
    if old.holder_id:
        query["holder_id"] = old.holder_id
    return "/insurance/policy/new?" + urlencode(query)


def mark_renewed(session: Any, new_id: int) -> None:
    """The new policy renews its ``renews_id``: the old one (locked, still active or expired)
    becomes ``renewed``, with its history line; otherwise the whole save is refused."""
    new = session.get(Policy, new_id)
    if new is None or new.renews_id is None:
        return
    old = session.get(Policy, new.renews_id, with_for_update=True, populate_existing=True)
    if old is None or old.deleted_at is not None or old.state not in RENEWABLE:
        raise Conflict("This policy has already been renewed" if old is not None and old.state == "renewed"
                       else "A cancelled policy cannot be renewed")
    old.state = "renewed"
