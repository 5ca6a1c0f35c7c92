"""What a job is: the declaration modules return from ``register_jobs``, and what a runner needs
of a Kernel. Both :mod:`kernel.outbox` and :mod:`kernel.jobs` read it, so it sits below them.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

JOB_ARGS = frozenset({"session", "kernel", "now", "payload"})


@dataclass(frozen=True)
class Job:
    """A periodic job (``every`` seconds) or an outbox consumer (once per message of ``topic``).

    ``func`` is called with the subset of ``session``, ``kernel``, ``now`` and ``payload``
    (the message's dict; None for periodic jobs) that its signature accepts. A failed run is
    retried after ``retry_after * 2**(attempts-1)`` seconds; a message is marked ``failed``
    after ``max_attempts``, a periodic job just keeps its cadence.
    """

    name: str
    func: Callable[..., Any]
    every: int | None = None
    topic: str | None = None
    max_attempts: int = 5
    retry_after: int = 60
    sequence: int = 100
    # A job that calls a far side between commits of its own (an SMS panel: its messages are
    # marked "sending" and committed BEFORE the call, so a crash mid-call leaves a trace; a
    # periodic poll of the panels' delivery reports). The runner then holds no transaction
    # around it: ``func`` gets no ``session`` and opens its own with ``kernel.sessions`` /
    # ``transaction`` (on SQLite an outer transaction would hold the one write lock for the
    # whole call, and the job's own commits would only be savepoints of it). An outbox
    # consumer's or a periodic job's.
    own_transactions: bool = False

    def __post_init__(self) -> None:
        if (self.every is None) == (self.topic is None):
            raise ValueError(f"job {self.name!r}: give exactly one of every= (periodic) or topic= (outbox)")
        if self.every is not None and self.every <= 0:
            raise ValueError(f"job {self.name!r}: every must be a positive number of seconds")
        if self.max_attempts < 1 or self.retry_after < 0:
            raise ValueError(f"job {self.name!r}: max_attempts must be >= 1 and retry_after >= 0")
        # Fail at registration, naming the job, rather than at 3 a.m. in the worker.
        params = inspect.signature(self.func).parameters.values()
        unknown = [p.name for p in params if p.default is p.empty and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
                   and p.name not in JOB_ARGS]
        if unknown:
            raise ValueError(f"job {self.name!r}: func needs {unknown}; it may take only {sorted(JOB_ARGS)}")
        if self.own_transactions and any(p.name == "session" for p in params):
            raise ValueError(f"job {self.name!r}: a job with own_transactions takes no session")

    def retry_delay(self, attempts: int) -> dt.timedelta:
        return dt.timedelta(seconds=self.retry_after * 2 ** max(attempts - 1, 0))


class KernelLike(Protocol):
    """What the runner needs of a Kernel, so tests can pass a tiny object."""

    @property
    def jobs(self) -> Sequence[Job]: ...
    @property
    def sessions(self) -> sessionmaker[Session]: ...
    @property
    def engine(self) -> Engine: ...
