"""KER-11: outbox and periodic jobs on SQLite and on a real PostgreSQL.

Run with ``eval "$(bash scripts/pgtest.sh start)"`` first: without ``PEYVAND_TEST_PG_URL`` the
PostgreSQL cases fail (they hold the SKIP LOCKED proof, so skipping them would hide a gap).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from kernel.db import make_engine, make_sessionmaker, transaction
from kernel.jobs import Job, JobLog, JobState, OutboxMessage, cli_run, enqueue, lifespan_scheduler, run_due
from kernel.outbox import LEASE_EXPIRED, claim_due

PG_NOT_STARTED = (
    "PEYVAND_TEST_PG_URL is not set: start PostgreSQL first with "
    'eval "$(bash scripts/pgtest.sh start)" (stop it with bash scripts/pgtest.sh stop)'
)
T0 = dt.datetime(2030, 1, 1, 8, 0, 0)  # after any real utcnow(), so enqueued messages are due


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


# Handlers' side effects live in a test-only table, outside Base, so Alembic never sees it.
test_meta = MetaData()
effects = Table(
    "t_job_effect", test_meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(50)),
    Column("worker", String(50)),
)
TABLES = [OutboxMessage.__table__, JobState.__table__, JobLog.__table__]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Engine]:
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
        _create(eng)
        yield eng
        eng.dispose()
        return
    url = os.environ.get("PEYVAND_TEST_PG_URL")
    if not url:
        pytest.fail(PG_NOT_STARTED, pytrace=False)
    # A fresh schema per test: tests never see each other's rows, and no cleanup order matters.
    schema = f"t_jobs_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    eng = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        _create(eng)
        yield eng
    finally:
        eng.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _create(eng: Engine) -> None:
    from kernel.db import Base

    Base.metadata.create_all(eng, tables=TABLES)
    test_meta.create_all(eng)


@dataclass
class Host:
    """The tiny kernel-like object run_due needs."""

    engine: Engine
    jobs: list[Job]
    sessions: sessionmaker[Session] = field(init=False)
    config: Any = None

    def __post_init__(self) -> None:
        self.sessions = make_sessionmaker(self.engine)

    def scalar(self, stmt: Any) -> Any:
        with self.sessions() as s:
            return s.scalar(stmt)

    def message(self, msg_id: int) -> OutboxMessage:
        with self.sessions() as s:
            msg = s.get(OutboxMessage, msg_id)
            assert msg is not None
            return msg

    def logs(self) -> list[JobLog]:
        with self.sessions() as s:
            return list(s.scalars(select(JobLog).order_by(JobLog.id)))


def effect(session: Session, key: str, worker: str = "") -> None:
    session.execute(insert(effects).values(key=key, worker=worker))


def count_effects(host: Host) -> int:
    return int(host.scalar(select(func.count()).select_from(effects)))


def put(host: Host, topic: str, payload: dict[str, Any], **kw: Any) -> int:
    with transaction(host.sessions) as s:
        return enqueue(s, topic, payload, **kw)


# -- declarations ----------------------------------------------------------------------------
def test_job_declaration_is_checked() -> None:
    def ok(session: Session, payload: dict[str, Any]) -> None: ...

    with pytest.raises(ValueError, match="exactly one"):
        Job("m.both", ok, every=60, topic="m.t")
    with pytest.raises(ValueError, match="exactly one"):
        Job("m.none", ok)
    with pytest.raises(ValueError, match="positive"):
        Job("m.zero", ok, every=0)
    with pytest.raises(ValueError, match="needs"):
        Job("m.odd", lambda session, customer: None, topic="m.t")
    assert Job("m.retry", ok, topic="m.t", retry_after=10).retry_delay(3) == dt.timedelta(seconds=40)


def test_two_consumers_of_one_topic_are_refused(tmp_path: Any) -> None:
    host = Host(make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}"), [
        Job("a.send", lambda: None, topic="sms"), Job("b.send", lambda: None, topic="sms"),
    ])
    with pytest.raises(ValueError, match="both consume 'sms'"):
        run_due(host, now=T0)


# -- outbox ----------------------------------------------------------------------------------
def test_enqueue_in_rolled_back_transaction_leaves_nothing(engine: Engine) -> None:
    host = Host(engine, [])
    with pytest.raises(RuntimeError), transaction(host.sessions) as s:
        effect(s, "business change")
        enqueue(s, "m.sms", {"to": "09120000000", "text": "سلام"})
        raise RuntimeError("the business change failed")
    assert host.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert count_effects(host) == 0

    msg_id = put(host, "m.sms", {"text": "سلام\u200cها"})
    msg = host.message(msg_id)
    assert (msg.status, msg.attempts) == ("pending", 0)
    assert '"سلام\u200cها"' in msg.payload  # stored readable, not as \\u escapes
    with pytest.raises(TypeError), transaction(host.sessions) as s:
        enqueue(s, "m.sms", ["not", "a", "dict"])  # type: ignore[arg-type]


def test_message_is_handled_once(engine: Engine) -> None:
    seen: list[Any] = []

    def send(payload: dict[str, Any], session: Session, now: dt.datetime) -> None:  # no kernel: not passed
        seen.append((payload, now))
        effect(session, payload["to"])

    def anything(**kw: Any) -> None:
        seen.append(sorted(kw))

    host = Host(engine, [Job("m.send", send, topic="m.sms"), Job("m.any", anything, topic="m.any")])
    first = put(host, "m.sms", {"to": "0912"})
    later = put(host, "m.sms", {"to": "0935"}, available_at=at(3600))
    orphan = put(host, "m.nobody", {})

    assert run_due(host, now=T0) == 1
    assert seen == [({"to": "0912"}, T0)]
    msg = host.message(first)
    assert (msg.status, msg.attempts, msg.done_at, msg.locked_by) == ("done", 0, T0, None)
    assert run_due(host, now=at(10)) == 0  # done stays done
    assert run_due(host, now=at(3600)) == 1  # the delayed one, when it is due
    assert host.message(later).status == "done"
    assert host.message(orphan).status == "pending"  # no consumer: left for a worker that has one
    assert count_effects(host) == 2
    assert host.logs() == []  # successful messages are recorded on their own row

    put(host, "m.any", {"x": 1})
    assert run_due(host, now=at(3601)) == 1
    assert seen[-1] == ["kernel", "now", "payload", "session"]  # **kw gets everything


def test_failing_job_is_retried_with_growing_delay_then_failed(engine: Engine) -> None:
    calls: list[dt.datetime] = []

    def flaky(session: Session, now: dt.datetime) -> None:
        calls.append(now)
        effect(session, "must be rolled back")
        raise ConnectionError("SMS gateway down")

    host = Host(engine, [Job("m.send", flaky, topic="m.sms", max_attempts=3, retry_after=10)])
    msg_id = put(host, "m.sms", {})

    assert run_due(host, now=T0) == 1
    msg = host.message(msg_id)
    assert (msg.status, msg.attempts, msg.available_at) == ("pending", 1, at(10))
    assert msg.last_error == "ConnectionError: SMS gateway down"
    assert run_due(host, now=at(9)) == 0  # not before its retry time
    assert run_due(host, now=at(10)) == 1
    assert host.message(msg_id).available_at == at(10 + 20)  # the delay doubled
    assert run_due(host, now=at(29)) == 0
    assert run_due(host, now=at(30)) == 1
    msg = host.message(msg_id)
    assert (msg.status, msg.attempts, msg.locked_by) == ("failed", 3, None)
    assert run_due(host, now=at(100_000)) == 0  # failed is final

    assert calls == [T0, at(10), at(30)]
    assert count_effects(host) == 0  # each failed run's own writes were rolled back
    logs = host.logs()
    assert [(log.job_name, log.outbox_id, log.ok) for log in logs] == [("m.send", msg_id, False)] * 3
    assert [log.started_at for log in logs] == calls
    assert all("ConnectionError: SMS gateway down" in (log.error or "") and "Traceback" in (log.error or "")
               for log in logs)


def test_message_succeeds_after_a_failure(engine: Engine) -> None:
    runs = Counter[str]()

    def once_broken(session: Session, payload: dict[str, Any]) -> None:
        runs["n"] += 1
        if runs["n"] == 1:
            raise RuntimeError("first time unlucky")
        effect(session, payload["k"])

    host = Host(engine, [Job("m.send", once_broken, topic="m.t", retry_after=5)])
    msg_id = put(host, "m.t", {"k": "v"})
    assert run_due(host, now=T0) == 1
    assert run_due(host, now=at(5)) == 1
    msg = host.message(msg_id)
    assert (msg.status, msg.attempts, msg.last_error) == ("done", 1, None)
    assert count_effects(host) == 1 and len(host.logs()) == 1


# -- periodic jobs ---------------------------------------------------------------------------
def test_periodic_job_runs_once_per_period_and_once_after_downtime(engine: Engine) -> None:
    runs: list[dt.datetime] = []
    host = Host(engine, [Job("m.tick", lambda now: runs.append(now), every=60)])

    assert run_due(host, now=T0) == 1  # first sight: due at once
    assert run_due(host, now=T0) == 0
    assert run_due(host, now=at(30)) == 0
    assert run_due(host, now=at(60)) == 1
    # Ten periods of downtime: one run, then the normal cadence again.
    assert [run_due(host, now=at(660)) for _ in range(3)] == [1, 0, 0]
    assert run_due(host, now=at(719)) == 0
    assert run_due(host, now=at(720)) == 1
    assert runs == [T0, at(60), at(660), at(720)]
    with host.sessions() as s:
        state = s.get(JobState, "m.tick")
        assert state is not None
        assert (state.next_run_at, state.last_run_at, state.last_status, state.locked_by) == (
            at(780), at(720), "ok", None)
    assert [log.ok for log in host.logs()] == [True] * 4  # periodic runs are all logged


def test_periodic_failure_is_logged_and_retried_within_the_period(engine: Engine) -> None:
    def broken(session: Session) -> None:
        effect(session, "rolled back")
        raise ValueError("report query broke")

    host = Host(engine, [Job("m.daily", broken, every=86400, retry_after=60)])
    assert run_due(host, now=T0) == 1
    assert run_due(host, now=at(60)) == 1  # not a day later: back-off, capped at the period
    with host.sessions() as s:
        state = s.get(JobState, "m.daily")
        assert state is not None
        assert (state.last_status, state.failures, state.next_run_at) == ("failed", 2, at(60 + 120))
        assert state.last_error == "ValueError: report query broke"
    assert [(log.job_name, log.ok) for log in host.logs()] == [("m.daily", False)] * 2
    assert count_effects(host) == 0


# -- several workers -------------------------------------------------------------------------
def test_concurrent_workers_handle_each_message_exactly_once(engine: Engine) -> None:
    """On PostgreSQL this is the SKIP LOCKED proof; on SQLite the database lock serialises."""
    calls: Counter[int] = Counter()
    by_worker: Counter[str] = Counter()
    lock = threading.Lock()

    def send(session: Session, payload: dict[str, Any]) -> None:
        worker = threading.current_thread().name
        with lock:
            calls[payload["n"]] += 1  # a side effect outside the database: a double send shows here
            by_worker[worker] += 1
        effect(session, str(payload["n"]), worker)
        time.sleep(0.001)  # let the two workers interleave

    host = Host(engine, [Job("m.send", send, topic="m.sms")])
    with transaction(host.sessions) as s:
        for n in range(200):
            enqueue(s, "m.sms", {"n": n})

    start = threading.Barrier(2)
    errors: list[BaseException] = []
    totals: dict[str, int] = {}

    def worker() -> None:
        name = threading.current_thread().name
        try:
            start.wait()
            total = 0
            while ran := run_due(host, worker_id=name, limit=10):
                assert ran <= 10, f"one call ran {ran} units with limit=10"
                total += ran
            totals[name] = total
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, name=f"w{i}") for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert sorted(calls) == list(range(200)) and set(calls.values()) == {1}
    assert sum(totals.values()) == 200
    if engine.dialect.name == "postgresql":
        # Both really worked side by side. Not asserted on SQLite: its busy handler polls with
        # back-off, so one worker can take the write lock again and again and finish alone.
        assert set(by_worker) == {"w0", "w1"}, by_worker
    with host.sessions() as s:
        keys = s.scalars(select(effects.c.key)).all()
        assert len(keys) == 200 and len(set(keys)) == 200
        statuses = s.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
        assert statuses == [("done", 200)]


def test_one_call_runs_at_most_limit_units(engine: Engine) -> None:
    # PostgreSQL re-runs an ``IN (SELECT … LIMIT … SKIP LOCKED)`` per outer row; a claim built
    # that way took every due row at once. This pins the limit on both engines.
    host = Host(engine, [Job("m.send", lambda: None, topic="m.sms")])
    with transaction(host.sessions) as s:
        for n in range(25):
            enqueue(s, "m.sms", {"n": n})
    assert [run_due(host, now=T0, limit=10) for _ in range(4)] == [10, 10, 5, 0]


def test_periodic_job_runs_once_when_two_workers_race(engine: Engine) -> None:
    runs: Counter[dt.datetime] = Counter()
    lock = threading.Lock()

    def tick(now: dt.datetime) -> None:
        with lock:
            runs[now] += 1
        time.sleep(0.01)  # hold the claim while the other worker looks

    host = Host(engine, [Job("m.tick", tick, every=60)])
    errors: list[BaseException] = []
    for step in range(5):  # the first step also races the creation of the job_state row
        barrier = threading.Barrier(2)

        def worker(now: dt.datetime = at(60 * step), barrier: threading.Barrier = barrier) -> None:
            try:
                barrier.wait()
                run_due(host, now=now, worker_id=threading.current_thread().name)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=worker, name=f"w{i}") for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert not errors, errors
    assert runs == Counter({at(60 * step): 1 for step in range(5)})


def test_expired_lease_of_crashed_worker_is_picked_up(engine: Engine) -> None:
    handled: list[int] = []
    host = Host(engine, [
        Job("m.send", lambda payload: handled.append(payload["n"]), topic="m.sms", retry_after=30),
        Job("m.tick", lambda: handled.append(-1), every=3600),
    ])
    msg_id = put(host, "m.sms", {"n": 7})
    # A worker claims the message and the periodic job, then dies before running them.
    with transaction(host.sessions) as s:
        assert [c.id for c in claim_due(s, ["m.sms"], worker="dead", now=T0, lease=300, limit=10)] == [msg_id]
        s.add(JobState(name="m.tick", next_run_at=T0, failures=0, locked_by="dead", locked_until=at(300)))

    assert run_due(host, now=at(299), worker_id="alive") == 0  # the lease still holds
    assert handled == []
    assert host.message(msg_id).locked_by == "dead"

    assert run_due(host, now=at(301), worker_id="alive") == 1  # the periodic job, free again
    msg = host.message(msg_id)
    # The crash counts as a failed attempt (a message that kills its worker must end) and
    # waits the normal back-off before it runs again.
    assert (msg.status, msg.attempts, msg.last_error, msg.available_at) == ("pending", 1, LEASE_EXPIRED, at(331))
    assert [(log.outbox_id, log.ok, log.error) for log in host.logs() if log.outbox_id] == [
        (msg_id, False, LEASE_EXPIRED)]
    assert run_due(host, now=at(331), worker_id="alive") == 1
    assert handled == [-1, 7]
    assert host.message(msg_id).status == "done"
    assert run_due(host, now=at(400), worker_id="alive") == 0


def test_a_message_that_keeps_killing_its_worker_ends_failed(engine: Engine) -> None:
    host = Host(engine, [Job("m.send", lambda: None, topic="m.sms", max_attempts=1)])
    msg_id = put(host, "m.sms", {})
    with transaction(host.sessions) as s:
        claim_due(s, ["m.sms"], worker="dead", now=T0, lease=300, limit=10)
    assert run_due(host, now=at(301)) == 0
    assert host.message(msg_id).status == "failed"


def test_a_slow_worker_that_lost_its_lease_does_not_run_the_message(engine: Engine) -> None:
    host = Host(engine, [Job("m.send", lambda session: effect(session, "x"), topic="m.sms")])
    msg_id = put(host, "m.sms", {})
    with transaction(host.sessions) as s:
        claim_due(s, ["m.sms"], worker="slow", now=T0, lease=300, limit=10)
        # Meanwhile another worker recovered it: the slow one's claim no longer matches.
        s.execute(update(OutboxMessage).values(locked_by="other"))
    from kernel import outbox

    with transaction(host.sessions) as s:
        assert outbox.renew(s, msg_id, worker="slow", until=at(600)) is False
    assert count_effects(host) == 0


# -- running it ------------------------------------------------------------------------------
def _run_in_thread(coro):
    """Playwright's sync API may leave an event loop running in this thread; use a fresh one."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_lifespan_runs_the_scheduler_thread_only_when_configured(tmp_path: Any) -> None:
    ran = threading.Event()
    eng = make_engine(f"sqlite:///{tmp_path / 'life.sqlite3'}")
    _create(eng)
    host = Host(eng, [Job("m.tick", lambda: ran.set(), every=3600)], config=SimpleNamespace(run_scheduler=False))

    async def live(seconds: float) -> set[str]:
        async with lifespan_scheduler(host, interval=0.05)(None):
            await asyncio.sleep(seconds)
            return {t.name for t in threading.enumerate()}

    assert "peyvand-jobs" not in _run_in_thread(live(0.2))
    assert not ran.is_set()
    host.config = SimpleNamespace(run_scheduler=True)
    assert "peyvand-jobs" in _run_in_thread(live(0.5))
    assert ran.is_set()
    assert "peyvand-jobs" not in {t.name for t in threading.enumerate()}  # stopped on shutdown
    eng.dispose()


def test_cli_run_once_drains_the_outbox(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    eng = make_engine(f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    _create(eng)
    host = Host(eng, [Job("m.send", lambda session: effect(session, "x"), topic="m.sms")])
    with transaction(host.sessions) as s:
        for _ in range(150):  # more than one batch
            enqueue(s, "m.sms", {})
    assert cli_run(host, once=True) == 0
    assert count_effects(host) == 150
    assert "150 job run(s)" in capsys.readouterr().out
    eng.dispose()


# -- own_transactions: a consumer that commits before calling a far side ---------------------
def test_own_transactions_declaration_is_checked() -> None:
    with pytest.raises(ValueError, match="own_transactions"):
        Job("m.own_session", lambda session, payload: None, topic="m.t", own_transactions=True)
    with pytest.raises(ValueError, match="own_transactions"):
        Job("m.own_periodic", lambda session: None, every=60, own_transactions=True)


def test_a_periodic_job_with_own_transactions_holds_no_lock_while_it_calls_out(engine: Engine) -> None:
    """A poll of a far side (the SMS panels' delivery reports): what it commits is visible while
    it still runs, nothing waits for a runner's write lock, and its run is recorded once."""
    seen: list[int] = []

    def job(kernel: Any, now: dt.datetime) -> None:
        with transaction(kernel.sessions) as s:
            effect(s, "polled")
        with kernel.sessions() as other:
            seen.append(int(other.scalar(select(func.count()).select_from(effects)) or 0))
        with transaction(kernel.sessions) as s:  # SQLite: a second writer, not a savepoint
            effect(s, "applied")

    host = Host(engine, [Job("m.own_poll", job, every=60, own_transactions=True)])
    started = time.monotonic()
    assert run_due(host, now=at(1)) == 1
    assert time.monotonic() - started < 5
    assert seen == [1] and count_effects(host) == 2
    assert run_due(host, now=at(1) + dt.timedelta(seconds=30)) == 0  # its cadence is kept
    with host.sessions() as s:
        state = s.get(JobState, "m.own_poll")
        assert state is not None and (state.last_status, state.locked_by) == ("ok", None)


def test_a_periodic_job_with_own_transactions_that_fails_is_retried_and_logged(engine: Engine) -> None:
    def job(kernel: Any) -> None:
        with transaction(kernel.sessions) as s:
            effect(s, "half")
        raise RuntimeError("the panel did not answer")

    host = Host(engine, [Job("m.own_fail", job, every=600, retry_after=60, own_transactions=True)])
    run_due(host, now=at(1))
    with host.sessions() as s:
        state = s.get(JobState, "m.own_fail")
        assert state is not None and (state.last_status, state.failures) == ("failed", 1)
        assert "the panel did not answer" in (state.last_error or "")
    assert count_effects(host) == 1  # what it committed before failing stays: its own transactions


def test_own_transactions_job_commits_before_it_returns_and_is_done_once(engine: Engine) -> None:
    """The runner holds no transaction around it: what the job committed is visible to other
    connections while it still runs (the SMS pipe's "sending" mark before the panel call), and a
    second write of its own does not wait for a runner's lock (SQLite has one writer)."""
    seen: list[int] = []

    def job(kernel: Any, payload: dict[str, Any]) -> None:
        with transaction(kernel.sessions) as s:
            effect(s, payload["key"])
        with kernel.sessions() as other:
            seen.append(int(other.scalar(select(func.count()).select_from(effects)) or 0))
        with transaction(kernel.sessions) as s:
            effect(s, payload["key"] + "-after")

    host = Host(engine, [Job("m.own", job, topic="m.own", own_transactions=True)])
    msg_id = put(host, "m.own", {"key": "a"})
    started = time.monotonic()
    assert run_due(host, now=at(1)) == 1
    assert time.monotonic() - started < 5  # no busy-timeout wait on SQLite
    assert seen == [1] and count_effects(host) == 2
    assert host.message(msg_id).status == "done"
    assert run_due(host, now=at(2)) == 0


def test_own_transactions_job_that_lost_its_lease_is_not_marked_done_by_it(engine: Engine) -> None:
    """Its row was not locked during the call: a worker that took it over meanwhile keeps it."""
    def job(kernel: Any) -> None:
        with transaction(kernel.sessions) as s:
            s.execute(update(OutboxMessage).values(locked_by="another-worker"))

    host = Host(engine, [Job("m.own_lost", job, topic="m.own_lost", own_transactions=True)])
    msg_id = put(host, "m.own_lost", {})
    run_due(host, now=at(1), worker_id="w1")
    msg = host.message(msg_id)
    assert (msg.status, msg.locked_by) == ("running", "another-worker")
