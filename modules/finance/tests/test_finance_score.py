"""The payment-behaviour score's formula (modules/finance/score.py): its edges, the worked example
of docs/finance.md, and hypothesis over any counts — a bounce, a legal follow-up, a day late or an
overdue row never raise the score; a row paid on time never lowers it; it stays within 0–100."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from modules.finance.score import NO_HISTORY, Counts, band, kept_score, score


def test_no_history_is_not_a_perfect_score() -> None:
    assert score(Counts()) is None
    assert kept_score(Counts()) == NO_HISTORY
    assert band(None) == band(NO_HISTORY) == "none"


def test_edges() -> None:
    assert score(Counts(on_time=1)) == 100
    assert score(Counts(overdue=1)) == 0
    assert score(Counts(bounced=1)) == 0
    assert score(Counts(late=1, late_days=90)) == 0  # 90 days late earns nothing
    assert score(Counts(late=1, late_days=400)) == 0  # nor more (never below zero)
    assert score(Counts(late=1, late_days=45)) == 50
    assert score(Counts(late=1, late_days=1)) == 99  # 100 × 89/90 = 98.9 → 99
    # A bounce weighs as three rows earning nothing: three on time and one bounce → 50.
    assert score(Counts(on_time=3, bounced=1)) == 50
    # Half up: 100 × 1/8 = 12.5 → 13.
    assert score(Counts(on_time=1, overdue=1, bounced=2)) == 13


def test_the_worked_example_of_the_guide() -> None:
    # Eight on time, two late by 10 and 35 days, one overdue, one cheque bounced and given back.
    c = Counts(on_time=8, late=2, late_days=45, overdue=1, bounced=1, returned=1)
    # W = 8 + 2 + 1 + 3 + 1 = 15; C = 8 + (2 − 45/90) = 9.5; 100 × 9.5 / 15 = 63.33 → 63.
    assert score(c) == 63 and band(63) == "fair"


def test_bands() -> None:
    assert [band(v) for v in (100, 80, 79, 50, 49, 0)] == ["good", "good", "fair", "fair", "bad", "bad"]


COUNTS = st.builds(Counts, on_time=st.integers(0, 500), late=st.integers(0, 200), late_days=st.integers(0, 20_000),
                   overdue=st.integers(0, 100), bounced=st.integers(0, 50), legal=st.integers(0, 50),
                   returned=st.integers(0, 50))


@given(COUNTS)
def test_within_bounds(c: Counts) -> None:
    value = score(c)
    assert value is None or 0 <= value <= 100
    assert band(value) in ("none", "good", "fair", "bad")


@given(COUNTS, st.sampled_from(["bounced", "legal", "returned", "overdue", "late_days"]), st.integers(1, 30))
def test_bad_news_never_raises_the_score(c: Counts, what: str, n: int) -> None:
    worse = dataclasses.replace(c, **{what: getattr(c, what) + n})
    before, after = kept_score(c), kept_score(worse)
    assert after <= before or before == NO_HISTORY


@given(COUNTS, st.integers(1, 30))
def test_paying_on_time_never_lowers_the_score(c: Counts, n: int) -> None:
    better = dataclasses.replace(c, on_time=c.on_time + n)
    assert kept_score(better) >= kept_score(c)
    assert kept_score(better) >= 0  # and it is history
