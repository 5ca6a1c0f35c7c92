"""The outbox: side effects (SMS, e-mail, device commands) written in the business transaction.

A message is a row in ``kernel_outbox``; :mod:`kernel.jobs` claims due rows and runs the job
whose ``topic`` matches. This file holds the outbox and job-log tables, :func:`enqueue`, the
claim statements and the per-message run loop that :func:`kernel.jobs.run_due` calls.

Claiming (:func:`claim_rows`) is a guarded UPDATE: it repeats the "still claimable" condition,
so a row another worker took meanwhile no longer matches, and only the RETURNING rows are ours.
On PostgreSQL the ids are first selected ``FOR UPDATE SKIP LOCKED`` in the same short
transaction, so concurrent workers pass over each other's rows instead of waiting. On SQLite
(which ignores ``FOR UPDATE``; one writer at a time) the selection is a sub-select of the
UPDATE: a write as the first statement of a transaction waits for the database lock under
``busy_timeout``, whereas a SELECT followed by an UPDATE fails at once with SQLITE_BUSY when
another writer committed in between (a WAL read snapshot cannot be upgraded to a write).
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import logging
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    Boolean,
    ColumnElement,
    Index,
    Integer,
    String,
    Text,
    and_,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from kernel.actor import SYSTEM
from kernel.db import Base, IdPK, transaction, utcnow

if TYPE_CHECKING:
    from kernel.job_spec import Job, KernelLike

log = logging.getLogger("peyvand.jobs")
Clock = Callable[[], dt.datetime]

PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
LEASE_EXPIRED = "lease expired: the worker stopped before finishing (crash or kill?)"


class OutboxMessage(Base):
    """One side effect to perform; ``attempts`` counts failed (or crashed) runs."""

    __tablename__ = "kernel_outbox"
    # The claim query filters by status and orders by available_at.
    __table_args__ = (Index("ix_kernel_outbox_status_available", "status", "available_at"),)
    id: Mapped[IdPK]
    topic: Mapped[str] = mapped_column(String(120))
    payload: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    available_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    status: Mapped[str] = mapped_column(String(10), default=PENDING, server_default=PENDING)
    locked_by: Mapped[str | None] = mapped_column(String(120))
    locked_until: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[dt.datetime | None]


class JobLog(Base):
    """Every failure, and every periodic run: what an administrator reads when a job misbehaves.

    Successful outbox messages are not logged here; their own row (``done_at``) records them.
    """

    __tablename__ = "kernel_job_log"
    __table_args__ = (Index("ix_kernel_job_log_job_started", "job_name", "started_at"),)
    id: Mapped[IdPK]
    job_name: Mapped[str] = mapped_column(String(120))
    # No foreign key: done messages may be purged while their failure history stays.
    outbox_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    started_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime]
    ok: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)


def enqueue(session: Session, topic: str, payload: dict[str, Any], *, available_at: dt.datetime | None = None) -> int:
    """Write a message in the caller's transaction and return its id.

    Nothing is sent here: the message exists only if the caller's transaction commits, so a
    business change and its side effect commit or roll back together.
    """
    if not isinstance(payload, dict):
        raise TypeError(f"outbox payload must be a dict, not {type(payload).__name__}")
    now = utcnow()
    msg = OutboxMessage(
        topic=topic,
        payload=json.dumps(payload, ensure_ascii=False),
        created_at=now,
        available_at=available_at or now,
    )
    session.add(msg)
    session.flush()  # the id, and a bad payload fails in the caller's code, not in the worker
    return msg.id


def enqueue_many(session: Session, topic: str, payloads: list[dict[str, Any]]) -> None:
    """:func:`enqueue` for a batch, in one statement and without the ids: a job raising 100,000
    alarms cannot afford a flush per message."""
    if not payloads:
        return
    now = utcnow()
    session.execute(insert(OutboxMessage), [
        {"topic": topic, "payload": json.dumps(p, ensure_ascii=False), "created_at": now, "available_at": now}
        for p in payloads])


class Claimed(NamedTuple):
    id: int
    topic: str
    payload: str
    attempts: int


def claim_rows(
    session: Session,
    entity: Any,
    key: Any,
    where: ColumnElement[bool],
    values: dict[str, Any],
    returning: tuple[Any, ...],
    *,
    order_by: tuple[Any, ...] = (),
    limit: int | None = None,
) -> list[Any]:
    """Mark the rows of ``entity`` matching ``where`` (at most ``limit``) with ``values``; return
    ``returning`` of the rows this call really claimed. Shared by messages and periodic jobs."""
    sub = select(key).where(where).order_by(*order_by).limit(limit).with_for_update(skip_locked=True)
    if session.get_bind().dialect.name == "postgresql":
        # Not ``IN (sub-select)`` here: PostgreSQL may re-run that sub-select for each outer row
        # (nested-loop semi join), and LockRows then skips the rows this very statement has
        # just updated, so one claim with LIMIT 10 would take every due row.
        ids = list(session.scalars(sub))
        if not ids:
            return []
        chosen = key.in_(ids)
    else:
        chosen = key.in_(sub)
    stmt = (
        update(entity)
        .where(chosen, where)
        .values(**values)
        .returning(*returning)
        .execution_options(synchronize_session=False)
    )
    return list(session.execute(stmt).all())


def _claim(session: Session, where: ColumnElement[bool], values: dict[str, Any], limit: int) -> list[Claimed]:
    m = OutboxMessage
    rows = claim_rows(
        session, m, m.id, where, values, (m.id, m.topic, m.payload, m.attempts),
        order_by=(m.available_at, m.id), limit=limit,
    )
    return [Claimed(*row) for row in rows]


def claim_due(
    session: Session, topics: list[str], *, worker: str, now: dt.datetime, lease: int, limit: int
) -> list[Claimed]:
    """Mark up to ``limit`` due pending messages of ``topics`` as running under our lease."""
    if not topics or limit <= 0:
        return []
    m = OutboxMessage
    where = and_(m.status == PENDING, m.available_at <= now, m.topic.in_(topics))
    return _claim(
        session, where, {"status": RUNNING, "locked_by": worker, "locked_until": now + dt.timedelta(seconds=lease)}, limit
    )


def claim_expired(
    session: Session, topics: list[str], *, worker: str, now: dt.datetime, lease: int, limit: int = 100
) -> list[Claimed]:
    """Take over running messages whose worker's lease ran out (the caller records the failure).

    A row whose unit is still running is locked by that unit's transaction, and SKIP LOCKED
    passes over it, so a slow job past its lease is not taken from under it on PostgreSQL.
    """
    if not topics:
        return []
    m = OutboxMessage
    where = and_(m.status == RUNNING, m.locked_until < now, m.topic.in_(topics))
    return _claim(session, where, {"locked_by": worker, "locked_until": now + dt.timedelta(seconds=lease)}, limit)


def renew(session: Session, msg_id: int, *, worker: str, until: dt.datetime) -> bool:
    """First statement of a unit's transaction: prove the claim is still ours and lock the row.

    On PostgreSQL the row lock lasts until the unit commits, so no other worker can recover the
    row meanwhile; on SQLite this takes the write lock up front (see the module docstring).
    """
    m = OutboxMessage
    stmt = (
        update(m)
        .where(m.id == msg_id, m.status == RUNNING, m.locked_by == worker)
        .values(locked_until=until)
        .execution_options(synchronize_session=False)
    )
    return session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]


def mark_done(session: Session, msg_id: int, now: dt.datetime) -> None:
    m = OutboxMessage
    stmt = (
        update(m)
        .where(m.id == msg_id)
        .values(status=DONE, done_at=now, locked_by=None, locked_until=None, last_error=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(stmt)


def mark_done_if_ours(session: Session, msg_id: int, *, worker: str, now: dt.datetime) -> bool:
    """:func:`mark_done` for a unit that ran outside the runner's transaction (``own_transactions``):
    its row was not locked meanwhile, so "done" is written only if the lease is still ours."""
    m = OutboxMessage
    stmt = (
        update(m)
        .where(m.id == msg_id, m.status == RUNNING, m.locked_by == worker)
        .values(status=DONE, done_at=now, locked_by=None, locked_until=None, last_error=None)
        .execution_options(synchronize_session=False)
    )
    return session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]


def mark_failed(
    session: Session, msg_id: int, *, worker: str, attempts: int, error: str, retry_at: dt.datetime | None
) -> bool:
    """Record a failed attempt: back to pending at ``retry_at``, or ``failed`` when it is None."""
    m = OutboxMessage
    stmt = (
        update(m)
        .where(m.id == msg_id, m.status == RUNNING, m.locked_by == worker)
        .values(
            attempts=attempts,
            last_error=error,
            status=PENDING if retry_at else FAILED,
            available_at=retry_at or m.available_at,
            locked_by=None,
            locked_until=None,
        )
        .execution_options(synchronize_session=False)
    )
    return session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]


# -- running messages (called by kernel.jobs.run_due) ----------------------------------------
def call_job(func: Callable[..., Any], **available: Any) -> Any:
    params = inspect.signature(func).parameters.values()
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return func(**available)
    names = {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    return func(**{k: v for k, v in available.items() if k in names})


def describe(exc: BaseException) -> tuple[str, str]:
    """(short text for the row's last_error, traceback for the log), both bounded."""
    return f"{type(exc).__name__}: {exc}"[:2000], "".join(traceback.format_exception(exc))[-20000:]


def _record_failure(
    s: Session, job: Job, msg: Claimed, worker: str, start: dt.datetime, end: dt.datetime, short: str, full: str
) -> None:
    attempts = msg.attempts + 1
    retry_at = end + job.retry_delay(attempts) if attempts < job.max_attempts else None
    mark_failed(s, msg.id, worker=worker, attempts=attempts, error=short, retry_at=retry_at)
    s.add(JobLog(job_name=job.name, outbox_id=msg.id, started_at=start, finished_at=end, ok=False, error=full))


def recover_expired(kernel: KernelLike, consumers: dict[str, Job], worker: str, clock: Clock, lease: int) -> None:
    """A crashed run counts as a failed attempt, so a message that kills its worker every
    time ends ``failed`` instead of looping forever."""
    with transaction(kernel.sessions, SYSTEM) as s:
        now = clock()
        for msg in claim_expired(s, list(consumers), worker=worker, now=now, lease=lease):
            log.warning("outbox message %s: lease expired, worker presumed dead", msg.id)
            _record_failure(s, consumers[msg.topic], msg, worker, now, now, LEASE_EXPIRED, LEASE_EXPIRED)


def _run_outside(kernel: KernelLike, job: Job, msg: Claimed, worker: str, clock: Clock, start: dt.datetime,
                 lease: int) -> bool:
    """A unit of an ``own_transactions`` job: renew (committed), run with no transaction held,
    then "done" if the lease is still ours. False when another worker had taken the message."""
    with transaction(kernel.sessions, SYSTEM) as s:
        if not renew(s, msg.id, worker=worker, until=start + dt.timedelta(seconds=lease)):
            return False
    call_job(job.func, kernel=kernel, now=start, payload=json.loads(msg.payload))
    with transaction(kernel.sessions, SYSTEM) as s:
        mark_done_if_ours(s, msg.id, worker=worker, now=clock())
    return True


def run_messages(
    kernel: KernelLike, consumers: dict[str, Job], worker: str, clock: Clock, lease: int, limit: int
) -> int:
    with transaction(kernel.sessions, SYSTEM) as s:
        claimed = claim_due(s, list(consumers), worker=worker, now=clock(), lease=lease, limit=limit)
    ran = 0
    for msg in claimed:
        job = consumers[msg.topic]
        start = clock()
        try:
            if job.own_transactions:
                if not _run_outside(kernel, job, msg, worker, clock, start, lease):
                    continue
                ran += 1
                continue
            with transaction(kernel.sessions, SYSTEM) as s:
                if not renew(s, msg.id, worker=worker, until=start + dt.timedelta(seconds=lease)):
                    continue  # our lease expired and another worker took the message
                call_job(job.func, session=s, kernel=kernel, now=start, payload=json.loads(msg.payload))
                mark_done(s, msg.id, clock())
        except Exception as exc:
            short, full = describe(exc)
            log.warning("job %s failed on outbox message %s (attempt %d): %s", job.name, msg.id, msg.attempts + 1, short)
            with transaction(kernel.sessions, SYSTEM) as s:
                _record_failure(s, job, msg, worker, start, clock(), short, full)
        ran += 1
    return ran
