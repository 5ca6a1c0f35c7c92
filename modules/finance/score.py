"""The payment-behaviour score of a customer (FIN-12; seed 000: «با توجه به سابقه نحوه پرداخت
مشتری، میزان خوش حسابی یا بد حسابی ایشان سنجیده می شود»): one number from 0 to 100 and a band
in words, from the counts of the customer's history. The one place the formula lives; the kept
rows (:mod:`modules.finance.standing`), the customers list, the profile panel and the payment
plan page all call :func:`score`.

The formula (docs/finance.md, "Payment-behaviour score", with a worked example)::

    weight  W = on_time + late + overdue + 3 × bounced + returned + 2 × legal
    credit  C = on_time + max(0, late − late_days / 90)
    score     = round_half_up(100 × C / W)          (no history when W = 0)

Each row of a plan paid on time earns a whole point; one paid late earns a point less a
ninetieth for each day it was late (90 days late or more: nothing), counted over all late rows
together; an unpaid row past its due date earns nothing. A bounced cheque weighs as three rows
earning nothing, a cheque gone to legal follow-up as two more, and a bounced cheque given back to
its drawer unpaid as one more. So a bounce, a day late or an overdue row never raise the score,
and a row paid on time never lowers it (tests: hypothesis). Whole numbers only: the division is
done once, on integers, rounded half up.
"""

from __future__ import annotations

from dataclasses import dataclass

LATE_DAYS_WORTHLESS = 90  # a row paid this many days late earns nothing
BOUNCED_WEIGHT = 3
LEGAL_WEIGHT = 2
RETURNED_WEIGHT = 1
NO_HISTORY = -1  # the kept score of a customer without history: sorts below every real score
# Bands, best first: the lowest score of each, its code and its English msgid.
BANDS: tuple[tuple[int, str, str], ...] = ((80, "good", "Good payer"), (50, "fair", "Fair payer"),
                                           (0, "bad", "Bad payer"))
NONE_BAND = ("none", "No payment history")
BAND_LABELS: dict[str, str] = {code: label for _low, code, label in BANDS} | {NONE_BAND[0]: NONE_BAND[1]}


@dataclass(frozen=True)
class Counts:
    """What a customer's history holds: plan rows (the cash part and the instalments) paid on
    time, paid late and the days they were late (together), unpaid past their due date; cheques
    that bounced, that went to legal follow-up, and bounced ones given back unpaid."""

    on_time: int = 0
    late: int = 0
    late_days: int = 0
    overdue: int = 0
    bounced: int = 0
    legal: int = 0
    returned: int = 0


def weight(c: Counts) -> int:
    return (c.on_time + c.late + c.overdue + BOUNCED_WEIGHT * c.bounced + RETURNED_WEIGHT * c.returned
            + LEGAL_WEIGHT * c.legal)


def score(c: Counts) -> int | None:
    """0–100, or None for a customer without any history (not 100: nothing is known)."""
    w = weight(c)
    if w <= 0:
        return None
    # C × 90 = 90 × on_time + max(0, 90 × late − late_days), kept whole.
    credit90 = LATE_DAYS_WORTHLESS * c.on_time + max(0, LATE_DAYS_WORTHLESS * c.late - c.late_days)
    num, den = 100 * credit90, LATE_DAYS_WORTHLESS * w
    return (2 * num + den) // (2 * den)  # half up


def band(value: int | None) -> str:
    """The band's code of a score (``none`` without history)."""
    if value is None or value < 0:
        return NONE_BAND[0]
    return next(code for low, code, _label in BANDS if value >= low)


def kept_score(c: Counts) -> int:
    """The score as the kept row holds it: :data:`NO_HISTORY` for none."""
    value = score(c)
    return NO_HISTORY if value is None else value
