"""The customers' standing (finance_customer_standing) kept in each change's transaction: the
issue's example (a bounce lowers the score, the cheque's customer pays on time), a voided invoice,
the daily count of rows that fell due, and random sequences of payments, clearings, bounces,
legal follow-ups, returned cheques, deleted receipts, replaced plans and voids after which the
table equals a recount from the history — on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from kernel import Conflict
from kernel.records import FormErrors, delete_record
from kernel.timezone import local_today
from modules.finance import standing
from modules.finance.models import CustomerStanding, Instalment, Receipt
from modules.finance.services import cheques, issuing
from modules.finance.tests.finance_helpers import jdate
from modules.finance.tests.plan_helpers import (
    invoice,
    make_plan,
    new_cheque,
    pay,
    plan_world,
    planned_with_cheques,
)

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _row(k: Any, partner: int) -> CustomerStanding | None:
    with k.sessions() as s:
        return s.get(CustomerStanding, partner)


def _agrees(k: Any) -> None:
    with k.sessions() as s:
        assert standing.kept(s) == standing.counted(s)


def _move(k: Any, w: dict[str, Any], cheque_id: int, *states: str) -> None:
    for to in states:
        with k.session(w["boss"]) as s:
            cheques.change_state(k, s, w["boss"], cheque_id, to)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_bounce_lowers_the_score_and_paying_on_time_raises_it(make_kernel: Any, engine: str) -> None:
    k = make_kernel(edition="tier3", engine=engine)
    w = plan_world(k)
    row = _row(k, w["gaz"])
    assert row is not None and row.invoices == 1 and row.balance == 120_000_000 and row.band == "none"
    first = local_today(k.config.timezone) + dt.timedelta(days=10)  # nothing falls due before the end
    ids = make_plan(k, w, w["invoice"], first=first)  # the cash part due on the invoice's date
    pay(k, w, w["invoice"], "cash", 24_000_000, ids[0], on=jdate(1405, 6, 31))
    row = _row(k, w["gaz"])
    assert row is not None and (row.on_time, row.late, row.score, row.band) == (1, 0, 100, "good")
    assert row.balance == 96_000_000
    pay(k, w, w["invoice"], "pos", 24_000_000, ids[1], on=first + dt.timedelta(days=15), terminal_id=w["pos"],
        trace_number="۱")  # 15 days late
    row = _row(k, w["gaz"])
    assert row is not None and (row.late, row.late_days) == (1, 15)
    before = row.score
    chq = new_cheque(k, w, "777001", "7770000000000001", 24_000_000, first)
    pay(k, w, w["invoice"], "cheque", 24_000_000, ids[2], cheque_id=chq)
    _move(k, w, chq, "deposited", "bounced")
    row = _row(k, w["gaz"])
    assert row is not None and row.bounced == 1 and row.score < before
    _move(k, w, chq, "legal", "returned")
    row = _row(k, w["gaz"])
    assert row is not None and (row.bounced, row.legal, row.returned) == (1, 1, 1)
    # W = 1 + 1 + 3 + 2 + 1 = 8, C = 1 + (1 − 15/90) = 1.83 → 100 × 1.83 / 8 = 22.9 → 23
    assert (row.score, row.band) == (23, "bad")
    _agrees(k)


@pytest.mark.parametrize("engine", ENGINES)
def test_void_and_the_days_overdue_rows(make_kernel: Any, engine: str) -> None:
    k = make_kernel(edition="tier3", engine=engine)
    w = plan_world(k)
    today = local_today(k.config.timezone)
    # A plan whose instalments fell due 40 and 10 days ago and fall due in 20 days.
    make_plan(k, w, w["invoice"], cash=0, count=3, first=today - dt.timedelta(days=40))
    row = _row(k, w["gaz"])
    assert row is not None and row.overdue >= 1 and row.score == 0 and row.band == "bad"
    _agrees(k)
    # A row that falls due changes nothing in the database: the daily job counts it.
    with k.session() as s:
        s.execute(update(CustomerStanding).where(CustomerStanding.partner_id == w["gaz"]).values(overdue=0))
        k.set_setting(s, standing.MARKER, (today - dt.timedelta(days=60)).isoformat())
    with k.session() as s:
        assert standing.refresh_overdue(k, s) == 1
    with k.sessions() as s:
        assert k.setting(s, standing.MARKER) == today.isoformat()
    _agrees(k)
    with k.session() as s:
        assert standing.refresh_overdue(k, s) == 0  # once a day
    with k.session(w["boss"]) as s:
        issuing.void_invoice(k, s, w["boss"], w["invoice"], "اشتباه در صدور")
    assert _row(k, w["gaz"]) is None  # nothing left to hold: no balance, no history
    _agrees(k)


# One step: (what, plan row 0…4, amount in millions, cheque 0…2, day offset in days from the due date)
STEP = st.tuples(st.sampled_from(["cash", "pos", "promise", "cheque", "clear", "bounce", "legal", "return",
                                  "delete", "replan", "void", "invoice"]),
                 st.integers(0, 4), st.integers(1, 30), st.integers(0, 2), st.integers(-5, 60))


@pytest.mark.parametrize("engine", ENGINES)
def test_the_kept_rows_equal_a_recount_over_random_sequences(make_kernel: Any, engine: str) -> None:
    k = make_kernel(edition="tier3", engine=engine)
    w = plan_world(k)
    serial = iter(range(10**6))

    @settings(max_examples=20 if engine == "sqlite" else 10, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(st.lists(STEP, min_size=1, max_size=10))
    def run(steps: list[tuple[str, int, int, int, int]]) -> None:
        partner = "gaz" if next(serial) % 2 else "vanak"
        inv, ids, chqs = planned_with_cheques(k, w, next(serial), "8", partner)
        for what, at, millions, c, offset in steps:
            with k.sessions() as s:
                due = s.scalar(select(Instalment.due_date).where(Instalment.id == ids[at]))
            on = (due or jdate(1405, 7, 1)) + dt.timedelta(days=offset)
            try:
                if what in ("cash", "pos", "promise"):
                    extra = {"terminal_id": w["pos"], "trace_number": "۹۹"} if what == "pos" else {}
                    pay(k, w, inv, what, millions * 1_000_000, ids[at], on=on, **extra)
                elif what == "cheque":
                    pay(k, w, inv, "cheque", millions * 1_000_000, ids[at], cheque_id=chqs[c])
                elif what in ("clear", "bounce"):
                    _move(k, w, chqs[c], "deposited", "cleared" if what == "clear" else "bounced")
                elif what in ("legal", "return"):
                    _move(k, w, chqs[c], "legal" if what == "legal" else "returned")
                elif what == "replan":
                    ids = make_plan(k, w, inv, count=at + 1)
                    ids += ids[-1:] * (5 - len(ids))
                elif what == "void":
                    with k.session(w["boss"]) as s:
                        issuing.void_invoice(k, s, w["boss"], inv, "آزمون")
                elif what == "invoice":
                    invoice(k, w, partner="vanak")
                else:
                    with k.sessions() as s:
                        rid = s.scalar(select(Receipt.id).where(Receipt.invoice_id == inv, Receipt.deleted_at.is_(None))
                                       .order_by(Receipt.id.desc()).limit(1))
                    if rid is not None:
                        with k.session(w["boss"]) as s:
                            delete_record(k, s, w["boss"], k.resources["finance.receipt"], rid)
            except (FormErrors, Conflict):
                pass  # refused (more than owed, a move the cheque's life does not allow): nothing changed
            _agrees(k)

    run()
    with k.session() as s:  # the repair writes exactly what the history says
        standing.recount(s)
    _agrees(k)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_migration_counts_the_history_already_there(make_kernel: Any, engine: str) -> None:
    """A database with a history from before the table: the upgrade's backfill (SQL) gives what a
    recount gives — balances, on time, late and its days, overdue, bounced, legal, given back, the
    score and band of the formula."""
    from alembic import command

    from kernel.migrations import alembic_config

    k = make_kernel(edition="tier3", engine=engine)
    w = plan_world(k)
    first = local_today(k.config.timezone) + dt.timedelta(days=10)  # the cash part is long overdue
    ids = make_plan(k, w, w["invoice"], first=first)
    pay(k, w, w["invoice"], "pos", 24_000_000, ids[1], on=first + dt.timedelta(days=20), terminal_id=w["pos"],
        trace_number="۱")
    pay(k, w, w["invoice"], "cash", 24_000_000, ids[2], on=first)
    chq = new_cheque(k, w, "777002", "7770000000000002", 24_000_000, first)
    pay(k, w, w["invoice"], "cheque", 24_000_000, ids[3], cheque_id=chq)
    _move(k, w, chq, "deposited", "bounced", "legal", "returned")
    invoice(k, w, partner="vanak")
    with k.sessions() as s:
        before = standing.kept(s)
    row = before[w["gaz"]]
    assert (row["on_time"], row["late"], row["late_days"], row["overdue"]) == (1, 1, 20, 1)
    assert (row["bounced"], row["legal"], row["returned"]) == (1, 1, 1) and before[w["vanak"]]["band"] == "none"
    for target in ("b8e5d3f1a2c7-1", "heads"):
        with k.engine.begin() as conn:
            cfg = alembic_config(k)
            cfg.attributes["connection"] = conn
            (command.downgrade if target != "heads" else command.upgrade)(cfg, target)
    with k.sessions() as s:
        after = standing.kept(s)
    assert after[w["gaz"]] == before[w["gaz"]] and after == before
    _agrees(k)


@pytest.mark.postgres
def test_two_payments_of_one_customer_at_once_both_count(make_kernel: Any) -> None:
    """Two clerks record payments on two invoices of one customer at the same moment: each adds
    its increments to the customer's one row (the second waits for the first's lock), and the row
    equals a recount — nothing lost, nothing counted twice."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    k = make_kernel(edition="tier3", engine="postgresql")
    w = plan_world(k)
    first = local_today(k.config.timezone) + dt.timedelta(days=10)
    for _round in range(3):
        invs = [invoice(k, w), invoice(k, w)]
        rows = [make_plan(k, w, inv, first=first) for inv in invs]
        start = threading.Barrier(2)

        def act(i: int, start: threading.Barrier = start, invs: list[int] = invs, rows: list[list[int]] = rows) -> int:
            start.wait(timeout=5)
            return pay(k, w, invs[i], "cash", 24_000_000, rows[i][1], on=first, actor=("boss", "isf")[i])

        with ThreadPoolExecutor(2) as pool:
            assert len(list(pool.map(act, [0, 1]))) == 2
        _agrees(k)
    row = _row(k, w["gaz"])
    # Six instalments paid on time; the six plans' cash parts, due on the invoices' date, unpaid
    # (the world's first invoice has no plan): W = 6 + 6, C = 6 → 50.
    assert row is not None and (row.on_time, row.overdue, row.invoices, row.score) == (6, 6, 7, 50)


def test_a_purged_cheque_takes_its_counts_with_it(make_kernel: Any) -> None:
    from kernel.records import purge_record

    k = make_kernel(edition="tier3")
    w = plan_world(k)
    chq = new_cheque(k, w, "777003", "7770000000000003", 5_000_000, jdate(1405, 9, 1))
    _move(k, w, chq, "deposited", "bounced")
    assert _row(k, w["gaz"]).bounced == 1  # type: ignore[union-attr]
    res = k.resources["finance.cheque"]
    with k.session(w["boss"]) as s:
        delete_record(k, s, w["boss"], res, chq)
    assert _row(k, w["gaz"]).bounced == 1  # type: ignore[union-attr]  # in the recycle bin: still history
    with k.session(w["boss"]) as s:
        purge_record(k, s, w["boss"], res, chq)
    row = _row(k, w["gaz"])
    assert row is not None and row.bounced == 0 and row.band == "none"
    _agrees(k)
