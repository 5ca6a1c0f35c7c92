"""One customer's payment-behaviour score as the profile panel and the payment plan page show it:
the kept counts (``finance_customer_standing``) with the overdue rows counted now, for today —
the kept overdue count may be up to the daily job's hour old (:mod:`modules.finance.standing`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kernel.timezone import local_today
from modules.finance.models import CustomerStanding
from modules.finance.models.standing import COUNTED
from modules.finance.score import BAND_LABELS, band, kept_score
from modules.finance.standing import counts_of, overdue_of

HOW = ("The score is the share of the plan's rows paid on time: a row paid late loses a ninetieth for each day, "
       "an overdue row counts nothing, a bounced cheque counts as three rows paid never, a legal follow-up two "
       "more. 80 and above is a good payer, below 50 a bad one.")


def words(kernel: Any, lang: str) -> dict[str, str]:
    """The badge's words in ``lang``, translated once for a page of many badges."""
    fixed = {"of_100": "of 100", "on_time": "Paid on time", "late": "Paid late", "overdue": "Overdue, not paid",
             "bounced": "Cheques bounced", "how": HOW}
    return {key: kernel.t(lang, msgid) for key, msgid in {**BAND_LABELS, **fixed}.items()}


def customer_score(kernel: Any, session: Session, partner_id: int, lang: str) -> dict[str, Any]:
    """The context of ``finance/score_badge.html`` for one customer."""
    row = session.get(CustomerStanding, partner_id)
    kept = {c: getattr(row, c) if row is not None else 0 for c in COUNTED}
    today = local_today(kernel.config.timezone)
    overdue = overdue_of(session.connection(), [partner_id], today).get(partner_id, 0)
    counts = counts_of(kept, overdue)
    value = kept_score(counts)
    return {"value": value, "band": band(value), "counts": counts, "words": words(kernel, lang)}
