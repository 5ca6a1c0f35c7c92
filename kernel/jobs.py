"""Scheduled (periodic) and outbox jobs, safe with several workers on one database (KER-11).

Modules return :class:`Job`s from ``register_jobs``. Any number of processes may call
:func:`run_due` at once — uvicorn workers' scheduler threads, ``peyvand jobs run`` — because
work is claimed with a lease (``locked_by``/``locked_until``) by a guarded UPDATE whose
sub-select uses ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (see :mod:`kernel.outbox`). A unit
(one periodic run, or one message) runs in its own transaction together with its "done" mark;
a failure rolls the job's work back and is recorded in a fresh transaction, with exponential
back-off, in ``kernel_job_log``. A worker that dies leaves a lease that expires and the work
is taken up again, so delivery is at least once: handlers of external side effects should be
idempotent where the far side allows it (a message id as the SMS/e-mail reference).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import signal
import socket
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from functools import partial
from typing import Any, Protocol

import anyio.to_thread
from sqlalchemy import Integer, String, Text, and_, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from kernel import outbox
from kernel.actor import SYSTEM
from kernel.config import Config
from kernel.db import Base, insert_ignoring, transaction, utcnow
from kernel.job_spec import Job, KernelLike
from kernel.outbox import Clock, JobLog, OutboxMessage, call_job, describe, enqueue

__all__ = [
    "Job", "JobLog", "JobState", "KernelLike", "OutboxMessage", "cli_run", "enqueue",
    "lifespan_scheduler", "run_due", "run_forever",
]

log = logging.getLogger("peyvand.jobs")
DEFAULT_LIMIT = 100
DEFAULT_LEASE = 300  # seconds; covers a claimed batch waiting its turn, not only one unit
SHUTDOWN_WAIT = 30.0  # seconds the app waits on shutdown for the unit in progress


class JobState(Base):
    """One row per periodic job: when it runs next, how it last went, and who holds it."""

    __tablename__ = "kernel_job_state"
    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    next_run_at: Mapped[dt.datetime]
    last_run_at: Mapped[dt.datetime | None]
    last_status: Mapped[str | None] = mapped_column(String(10))
    last_error: Mapped[str | None] = mapped_column(Text)
    # Consecutive failures: a failing daily job retries with back-off instead of waiting a day.
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_by: Mapped[str | None] = mapped_column(String(120))
    locked_until: Mapped[dt.datetime | None]


class SchedulerHost(KernelLike, Protocol):
    @property
    def config(self) -> Config: ...


def interrupted_until(session: Session, job: Job, match: Callable[[dict[str, Any]], bool],
                      now: dt.datetime, lease: int = DEFAULT_LEASE, quiet: int = 60) -> dt.datetime | None:
    """When the outbox ``job``'s work whose payload ``match``es resumes, if its worker stopped.

    A running unit renews its lease as it starts, so running messages none of which was renewed
    for ``quiet`` seconds belong to a worker that died (a crash, ``kill -9``, a restart): once
    the lease runs out the attempt counts as failed and the message is taken up again after the
    job's retry delay. Returns that moment (UTC), or None when the work is moving (or not
    running). A page says "it will resume by …" instead of a bar that stands still for minutes.
    """
    rows = session.execute(select(OutboxMessage.payload, OutboxMessage.locked_until, OutboxMessage.attempts)
                           .where(OutboxMessage.topic == job.topic, OutboxMessage.status == "running")).all()
    held = [(until, attempts) for payload, until, attempts in rows
            if until is not None and match(json.loads(payload or "{}"))]
    if not held or max(u for u, _ in held) - dt.timedelta(seconds=lease) > now - dt.timedelta(seconds=quiet):
        return None
    return min(until + job.retry_delay(attempts + 1) for until, attempts in held)


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_native_id()}"[:120]


def _consumers(jobs: Sequence[Job]) -> dict[str, Job]:
    # One consumer per topic: a message has one status, so two consumers could not be
    # retried independently. Fan out by enqueuing one message per consumer topic instead.
    found: dict[str, Job] = {}
    for job in jobs:
        if job.topic is not None:
            if job.topic in found:
                raise ValueError(f"jobs {found[job.topic].name!r} and {job.name!r} both consume {job.topic!r}")
            found[job.topic] = job
    return found


def run_due(
    kernel: KernelLike,
    *,
    now: dt.datetime | None = None,
    worker_id: str | None = None,
    limit: int = DEFAULT_LIMIT,
    lease: int = DEFAULT_LEASE,
) -> int:
    """Claim due periodic jobs and outbox messages (at most ``limit`` units), run them, and
    return how many ran (successfully or not). ``now`` fixes the clock, for tests."""
    worker = (worker_id or default_worker_id())[:120]
    clock: Clock = (lambda: now) if now is not None else utcnow
    consumers = _consumers(kernel.jobs)
    periodic = [job for job in kernel.jobs if job.every is not None]
    ran = _run_periodic(kernel, periodic, worker, clock, lease) if periodic else 0
    if consumers:
        outbox.recover_expired(kernel, consumers, worker, clock, lease)
        ran += outbox.run_messages(kernel, consumers, worker, clock, lease, limit - ran)
    return ran


# -- periodic jobs -------------------------------------------------------------------------
def _ensure_states(kernel: KernelLike, jobs: list[Job], now: dt.datetime) -> None:
    names = [job.name for job in jobs]
    with kernel.sessions() as s:  # read only: the common case writes nothing
        known = set(s.scalars(select(JobState.name).where(JobState.name.in_(names))))
    missing = [{"name": n, "next_run_at": now, "failures": 0} for n in names if n not in known]
    if missing:
        # Another worker may insert the same rows right now: the loser's insert does nothing.
        with transaction(kernel.sessions, SYSTEM) as s:
            s.execute(insert_ignoring(kernel.engine.dialect.name, JobState, "name").values(missing))


def _run_periodic(kernel: KernelLike, jobs: list[Job], worker: str, clock: Clock, lease: int) -> int:
    now = clock()
    _ensure_states(kernel, jobs, now)
    st = JobState
    due = and_(
        st.name.in_([job.name for job in jobs]),
        st.next_run_at <= now,
        or_(st.locked_until.is_(None), st.locked_until < now),  # free, or its worker died
    )
    with transaction(kernel.sessions, SYSTEM) as s:
        rows = outbox.claim_rows(
            s, st, st.name, due, {"locked_by": worker, "locked_until": now + dt.timedelta(seconds=lease)},
            (st.name, st.failures),
        )
    claimed: dict[str, int] = {name: failures for name, failures in rows}
    ran = 0
    for job in jobs:  # kernel.jobs order, i.e. by sequence
        if job.name not in claimed:
            continue
        start = clock()
        every = dt.timedelta(seconds=job.every or 0)
        mine = and_(st.name == job.name, st.locked_by == worker)
        renew = update(st).where(mine).values(locked_until=start + dt.timedelta(seconds=lease))
        done = update(st).where(mine).values(
            next_run_at=start + every,  # counted from now: after downtime no catch-up storm
            last_run_at=start, last_status="ok", last_error=None, failures=0, locked_by=None, locked_until=None,
        )
        try:
            if job.own_transactions:
                # The lease renewed and committed first; the job opens its own transactions
                # (it calls a far side in between); then its run is recorded.
                with transaction(kernel.sessions, SYSTEM) as s:
                    held = s.execute(renew.execution_options(synchronize_session=False))
                if held.rowcount != 1:  # type: ignore[attr-defined]
                    continue  # our lease expired and another worker took the job
                call_job(job.func, kernel=kernel, now=start, payload=None)
                with transaction(kernel.sessions, SYSTEM) as s:
                    s.execute(done.execution_options(synchronize_session=False))
                    s.add(JobLog(job_name=job.name, started_at=start, finished_at=clock(), ok=True))
                ran += 1
                continue
            with transaction(kernel.sessions, SYSTEM) as s:
                held = s.execute(renew.execution_options(synchronize_session=False))
                if held.rowcount != 1:  # type: ignore[attr-defined]
                    continue  # our lease expired and another worker took the job
                call_job(job.func, session=s, kernel=kernel, now=start, payload=None)
                s.execute(done.execution_options(synchronize_session=False))
                s.add(JobLog(job_name=job.name, started_at=start, finished_at=clock(), ok=True))
        except Exception as exc:
            short, full = describe(exc)
            log.warning("job %s failed: %s", job.name, short)
            failures = claimed[job.name] + 1
            retry = min(every, job.retry_delay(failures))
            with transaction(kernel.sessions, SYSTEM) as s:
                s.execute(update(st).where(mine).values(
                    next_run_at=start + retry, last_run_at=start, last_status="failed", last_error=short,
                    failures=failures, locked_by=None, locked_until=None,
                ).execution_options(synchronize_session=False))
                s.add(JobLog(job_name=job.name, started_at=start, finished_at=clock(), ok=False, error=full))
        ran += 1
    return ran


# -- running it ----------------------------------------------------------------------------
def run_forever(
    kernel: KernelLike, *, interval: float = 5.0, stop: threading.Event, worker_id: str | None = None, limit: int = DEFAULT_LIMIT
) -> None:
    """Call :func:`run_due` until ``stop`` is set; an error (database away) is logged, not fatal."""
    worker = worker_id or default_worker_id()
    while not stop.is_set():
        try:
            ran = run_due(kernel, worker_id=worker, limit=limit)
        except Exception:
            log.exception("job runner: run_due failed; trying again in %.1f s", interval)
            ran = 0
        if ran < limit:  # a full batch means more is waiting: go on without sleeping
            stop.wait(interval)


def lifespan_scheduler(
    kernel: SchedulerHost, *, interval: float = 5.0
) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    """A Starlette ``lifespan_context`` running the jobs in a daemon thread while the app lives.

    Every uvicorn worker may run one: claims make that safe, and it spares a separate process
    for small installations.
    """

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        if not kernel.config.run_scheduler:
            yield
            return
        stop = threading.Event()
        thread = threading.Thread(
            target=run_forever, args=(kernel,), kwargs={"interval": interval, "stop": stop},
            name="peyvand-jobs", daemon=True,  # daemon: a stuck job must not keep the process alive
        )
        thread.start()
        try:
            yield
        finally:
            stop.set()
            # Join off the event loop: the unit in progress may take a while to finish.
            await anyio.to_thread.run_sync(partial(thread.join, SHUTDOWN_WAIT))

    return lifespan


def cli_run(kernel: KernelLike, once: bool) -> int:
    """``peyvand jobs run [--once]``: drain what is due and exit, or run until SIGINT/SIGTERM."""
    if once:
        total = 0
        while True:  # terminates: every run moves its unit's due time past now, or marks it failed
            ran = run_due(kernel)
            total += ran
            if ran < DEFAULT_LIMIT:
                break
        print(f"{total} job run(s)")
        return 0
    stop = threading.Event()
    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, lambda *_: stop.set())
    try:
        run_forever(kernel, stop=stop)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
