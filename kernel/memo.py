"""What every page reads from tables that rarely change, kept in the process between requests.

A page of fifty partners needs 1–2 ms of SQL, but each request also resolved the login (user,
roles, session), read the user's calendar and column choices, loaded the provinces and groups
of the filter drop-downs and the titles of the referenced provinces, and the alarm tray: about
twenty statements and their ORM work, the same on every page (issue 10, "the cost above bare
SQL"). Those values come from a known set of *watched* tables — the kernel's users, roles, login
sessions, preferences, settings and alarms, and every ``shared`` resource's table (reference
data: provinces, regions, groups, role kinds).

**Freshness across processes** (several uvicorn workers, the scheduler): every transaction that
wrote a watched table adds one to ``kernel_cache_signal.version`` just before it commits (so the
signal's row lock is the last one it takes and cannot be part of a deadlock). Each request reads
the version once; when it differs from the one the values were kept under, they are dropped.
The scheme is Odoo's ``base_cache_signaling``: one cheap read per request instead of the dozen
statements it saves. A write that did not go through SQLAlchemy's ``Insert``/``Update``/
``Delete`` (a ``text()`` statement) is seen only when it names its table with the execution
option ``kernel.db.WRITES_OPTION``.

**Use.** ``cached(key, compute)`` returns the kept value for ``key`` or computes and keeps it.
Outside a request (the CLI, jobs, a test calling a service) and after the request itself wrote a
watched table, it simply computes: nothing stale is ever served to the writer. ``key`` must
hold everything the value depends on (the user id, the language, the actor), and the value must
depend only on watched tables: a list of partners must never be kept here.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.sql.ddl import DropTable
from sqlalchemy.sql.dml import UpdateBase

from kernel.db import WRITES_OPTION
from kernel.models import CacheSignal

T = TypeVar("T")

KERNEL_TABLES = frozenset({
    "kernel_user", "kernel_role", "kernel_role_permission", "kernel_user_role", "kernel_user_team",
    "kernel_team", "kernel_login_session", "kernel_user_pref", "kernel_setting", "kernel_alarm",
})
"""The kernel's own watched tables: who is logged in with which rights, their choices, the
instance settings and the alarms of the tray and the menu badge."""

MAX_ENTRIES = 20_000  # a bound on memory: past it the values are dropped and computed again
_DIRTY = "peyvand_memo_dirty"
BUMP_SQL = "UPDATE kernel_cache_signal SET version = version + 1 WHERE id = 1"


@dataclass
class _Request:
    """The memo a request reads, at the version it read (None: do not use kept values)."""

    memo: Memo
    version: int | None


_SIGNAL = select(CacheSignal.version).where(CacheSignal.id == 1)
_current: contextvars.ContextVar[_Request | None] = contextvars.ContextVar("peyvand_memo", default=None)


class Memo:
    """One kernel's kept values and the listeners that keep them fresh (see the module docstring)."""

    def __init__(self, engine: Engine, tables: Iterable[str]) -> None:
        self.tables = frozenset(tables) | KERNEL_TABLES
        self._values: dict[Hashable, Any] = {}
        self._version: int | None = None
        self._lock = threading.Lock()
        self._signal_found = False
        self._listen(engine)

    def _listen(self, engine: Engine) -> None:
        tables = self.tables

        @event.listens_for(engine, "after_execute")
        def _seen(conn: Any, clause: Any, _multi: Any, _params: Any, options: Any, _result: Any) -> None:
            written = getattr(clause.table, "name", None) if isinstance(clause, UpdateBase) else options.get(WRITES_OPTION)
            if written in tables:
                conn.info[_DIRTY] = True
                here = _current.get()
                if here is not None:
                    here.version = None  # this request wrote: from now on it reads the tables
            elif isinstance(clause, DropTable) and clause.element.name == CacheSignal.__tablename__:
                self._signal_found = False  # a downgrade past kernel 0008

        @event.listens_for(engine, "commit")
        def _bump(conn: Any) -> None:
            # The last statement before COMMIT, on the DB-API cursor: the connection is committing.
            if conn.info.pop(_DIRTY, False) and self._signal_exists(conn):
                cursor = conn.connection.dbapi_connection.cursor()
                try:
                    cursor.execute(BUMP_SQL)
                finally:
                    cursor.close()
                with self._lock:
                    self._values.clear()  # this process knows at once; others at their next request

        @event.listens_for(engine, "rollback")
        def _undo(conn: Any) -> None:
            conn.info.pop(_DIRTY, None)

    def _signal_exists(self, conn: Any) -> bool:
        """Whether the signal's table is there: a migration from before it (kernel 0008) writes
        watched tables too, and a server may start before ``peyvand migrate``. Asked until it is
        found, then known."""
        if self._signal_found:
            return True
        # On the DB-API cursor: the connection may be committing (the bump asks too).
        cursor = conn.connection.dbapi_connection.cursor()
        try:
            if conn.dialect.name == "sqlite":
                cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kernel_cache_signal'")
            else:
                cursor.execute("SELECT to_regclass('kernel_cache_signal')")
            row = cursor.fetchone()
            self._signal_found = bool(row and row[0])
        finally:
            cursor.close()
        return self._signal_found

    def begin_request(self, session: Any) -> _Request:
        """Read the signal once for this request (in the session that resolves the login) and
        use the memo in this context; the guard passes the answer to :func:`enter` for the view,
        which may run in another thread's context."""
        conn = session.connection()
        version = None  # a database not yet upgraded to the signal (kernel 0008) keeps nothing
        if self._signal_exists(conn):
            # Core, not the ORM: this statement runs on every request.
            version = conn.scalar(_SIGNAL)
        with self._lock:
            if version != self._version:
                self._values.clear()
                self._version = version
        here = _Request(self, version)
        _current.set(here)
        return here

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._version = None

    def get(self, here: _Request, key: Hashable, compute: Callable[[], T],
            keep: Callable[[T], bool] | None = None) -> T:
        if here.version is None or here.version != self._version:
            return compute()
        try:
            return self._values[key]
        except KeyError:
            pass
        value = compute()
        if keep is not None and not keep(value):
            return value
        with self._lock:
            if here.version == self._version:  # not dropped meanwhile by a newer version
                if len(self._values) >= MAX_ENTRIES:
                    self._values.clear()
                self._values[key] = value
        return value


def cached(key: Hashable, compute: Callable[[], T], keep: Callable[[T], bool] | None = None) -> T:
    """The value kept for ``key`` in this request's kernel, or ``compute()`` (kept when it may be).

    ``keep(value)`` false: this answer is not kept (one that a write to an unwatched table could
    make wrong, such as "this table is small")."""
    here = _current.get()
    if here is None:
        return compute()
    return here.memo.get(here, key, compute, keep)


def enter(here: _Request | None) -> contextvars.Token[_Request | None]:
    """Use ``here`` (from :meth:`Memo.begin_request`) in this context; :func:`leave` undoes it."""
    return _current.set(here)


def leave(token: contextvars.Token[_Request | None]) -> None:
    _current.reset(token)
