"""One DeclarativeBase for every module, the business-record mixin, engines and sessions."""

from __future__ import annotations

import datetime as dt
import json
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    create_engine,
    event,
    func,
    insert,
    make_url,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    declared_attr,
    mapped_column,
    object_session,
    sessionmaker,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets 64-bit ids.
BigId = BigInteger().with_variant(Integer(), "sqlite")
IdPK = Annotated[int, mapped_column(BigId, primary_key=True)]
Money = Annotated[int, mapped_column(BigInteger)]
"""Money is an integer number of Rials, never a float."""
# The column of a Persian alphabetical key (kernel.persian.collation): compared bytewise on both
# engines. SQLite's default BINARY already is; PostgreSQL's database locale would reorder it
# (and ignore spaces), so the column is COLLATE "C" there, and indexes on it follow.
SortKey = String(400).with_variant(String(400, collation="C"), "postgresql")


def utcnow() -> dt.datetime:
    """Naive UTC: stored the same way on SQLite and PostgreSQL; Jalali only at the edges."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: DateTime(), str: String(255)}


def _user_fk(name: str) -> Any:
    return mapped_column(
        BigId, ForeignKey("kernel_user.id", ondelete="RESTRICT"), nullable=True, index=name == "owner_id"
    )


class Record:
    """Columns every business table has: id, created/updated at and by, owner, soft-delete mark.

    History of changes is written by :mod:`kernel.audit` for every mapped class with this mixin.
    """

    id: Mapped[IdPK]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(default=None)

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        table = getattr(cls, "__table__", None)
        if table is not None and "deleted_at" in table.c and not any(ix.name == f"ix_{table.name}_trash"
                                                                      for ix in table.indexes):
            # Only the recycle bin's rows: an index on every row's NULL mark lured SQLite's planner
            # away from the real index of a query ("this month's communications": 11 ms → 1 s).
            Index(f"ix_{table.name}_trash", table.c.deleted_at,
                  sqlite_where=table.c.deleted_at.is_not(None), postgresql_where=table.c.deleted_at.is_not(None))

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:
        return _user_fk("created_by_id")

    @declared_attr
    def updated_by_id(cls) -> Mapped[int | None]:
        return _user_fk("updated_by_id")

    @declared_attr
    def owner_id(cls) -> Mapped[int | None]:
        return _user_fk("owner_id")

    def before_save(self) -> None:
        """Fill derived columns just before the row is written, whichever code path wrote it
        (forms, API, imports, services). Runs inside the flush: use ``object_session(self)``
        with ``no_autoflush`` to read other rows. A new row's owner is stamped after this runs:
        :meth:`acting_user_id` says who is saving it.

        A model whose ``before_save`` reads and sets its own row's columns and nothing else
        (no session, no :meth:`acting_user_id`) may say so with ``__before_save_row_only__ =
        True``: bulk creates (:func:`kernel.records.create_records`) then run it on a plain
        object holding the new row's values and write the rows without ORM objects."""

    def acting_user_id(self) -> int | None:
        """The user saving this row (the session's actor); None for the system and outside a session."""
        session = object_session(self)
        return acting_user_id(session) if session is not None else None


def acting_user_id(session: Session) -> int | None:
    """The user behind a session's changes (``kernel.session(actor)``); None for the system."""
    return getattr(session.info.get("actor"), "user_id", None) or None


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _rec: Any) -> None:
        # pysqlite's own transaction handling breaks SAVEPOINT and transactional DDL;
        # SQLAlchemy's documented recipe: let SQLAlchemy emit BEGIN itself.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # A write transaction takes the write lock up front (waiting up to busy_timeout for
        # another writer). A deferred one that reads first and writes later cannot wait: under
        # WAL its snapshot is stale once another writer committed, and SQLite answers
        # SQLITE_BUSY at once — half the writes of eight concurrent API clients failed so.
        # Reads stay deferred, so they never wait for a writer.
        write = conn.get_execution_options().get(WRITE_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def in_ids(column: Any, ids: Any) -> Any:
    """``column IN (ids)`` as one expanding parameter: SQLAlchemy coerces each element of a plain
    list (160 µs for a page of 50 ids, against 40 µs so), and a page asks several such."""
    return column.in_(bindparam("ids", value=list(ids), expanding=True, unique=True))


def insert_ignoring(dialect: str, model: Any, *keys: str) -> Any:
    """``INSERT … ON CONFLICT (keys) DO NOTHING`` in the engine's dialect: the "exactly once"
    write of concurrent workers (the loser's row is silently not written)."""
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return insert(model).on_conflict_do_nothing(index_elements=list(keys))


WRITES_OPTION = "peyvand_writes"
"""Execution option of a ``text()`` statement that writes a table: its name (``kernel.memo``
learns from Insert/Update/Delete constructs which tables changed, and from this otherwise)."""

WRITE_OPTION = "peyvand_write"
"""Execution option that marks a transaction as a writer (``BEGIN IMMEDIATE`` on SQLite)."""


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        _sqlite_setup(engine)
        return engine
    # PostgreSQL's JIT compiles any plan its cost model calls expensive, and a scoped list's
    # per-row subplans look expensive while running in milliseconds: compiling took 0.8 s of a
    # 0.9 s sales board (docs/PERFORMANCE.md). Every statement here is OLTP-sized: no JIT.
    # Added to the URL's own ``options`` (a test database's search_path rides there), not over it.
    parsed = make_url(url)
    options = " ".join(filter(None, ["-c jit=off", str(parsed.query.get("options", ""))]))
    parsed = parsed.update_query_dict({"options": options})
    return create_engine(parsed, pool_pre_ping=True, **kwargs)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session], actor: Any = None) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error.

    ``actor`` is kept in ``session.info`` so history and ownership know who acted. It is a
    write transaction: on SQLite it holds the database's write lock from its first statement,
    so concurrent writers queue (up to the busy timeout) instead of failing. Read-only work
    uses ``kernel.sessions()`` and never waits for a writer.
    """
    outer = getattr(_held, "connection", None)
    if outer is not None and outer.engine is factory.kw.get("bind"):
        # A write transaction opened inside another on this thread: SQLite has one writer, and
        # it is the outer one, so the inner joins its connection as a savepoint (committed
        # with the outer transaction) instead of waiting for itself until the busy timeout.
        with factory(bind=outer, join_transaction_mode="create_savepoint") as session:
            session.info["actor"] = actor
            with session.begin():
                yield session
        return
    with factory() as session, _writer_turn(session):
        session.info["actor"] = actor
        with session.begin():
            # Procured now, with the writer mark, so SQLite begins IMMEDIATE (see _sqlite_setup).
            connection = session.connection(execution_options={WRITE_OPTION: True})
            if connection.dialect.name == "sqlite":
                _held.connection = connection
            try:
                yield session
            finally:
                _held.connection = None


_WRITE_LOCKS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
WRITER_WAIT = 60.0  # seconds a writer waits for its turn before giving up with an error


@contextmanager
def _writer_turn(session: Session) -> Iterator[None]:
    """On SQLite, one writer of this process at a time, in the order they came.

    SQLite's busy handler polls with growing sleeps, so under a crowd of writers one can lose
    every race until its timeout; a lock in the process queues them instead. Writers of other
    processes still meet at the database lock, where BEGIN IMMEDIATE waits (busy_timeout).
    """
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    lock = _WRITE_LOCKS.setdefault(bind, threading.Lock())  # type: ignore[arg-type]
    if not lock.acquire(timeout=WRITER_WAIT):
        raise TimeoutError("the database is busy: another writer held it too long")
    try:
        yield
    finally:
        lock.release()


_held = threading.local()


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys, every value given: no column default is
    applied) in few statements.

    Not by one statement a row, as an executemany runs them. On SQLite every statement that
    fires a trigger into an FTS5 index (the search index of :mod:`kernel.search_index`) makes
    FTS5 write its pending terms out as a segment of their own: 1,000 partners cost 200 ms one
    statement each, 83 ms as multi-row ``INSERT … VALUES (…), (…)`` — which RETURNING makes
    SQLAlchemy batch an executemany into ("insertmanyvalues"; the ids it returns are not
    needed). On PostgreSQL the rows go as one JSON document, which the server turns into rows
    of the table's own type (``json_populate_recordset``) in one ``INSERT … SELECT``: 10,000
    partners through the bulk API took the server 2.75 s and PostgreSQL 2.39 s of CPU as
    executemanys (the executor starts, and opens the table's indexes, per statement), 2.02 and
    1.66 s so.
    (Multi-row VALUES there cost nine times the Python time, building and binding the long
    statements; arrays per column cost psycopg 47 ms to escape the JSON of 1,000 history rows.)
    Every value travels as its JSON or text form, which PostgreSQL reads back exactly for the
    types :func:`_as_text` allows; a table with a column of another type keeps the executemany.
    """
    if not rows:
        return
    dialect = connection.dialect.name
    if dialect == "sqlite":
        connection.execute(insert(table).returning(*table.primary_key.columns), rows).close()
        return
    keys = list(rows[0])
    # The document's keys name the columns: a column whose key is not its name keeps the executemany.
    if dialect == "postgresql" and all(table.c[key].name == key and _as_text(table.c[key]) for key in keys):
        quote = connection.dialect.identifier_preparer
        name = quote.format_table(table)
        columns = ", ".join(quote.quote(table.c[key].name) for key in keys)
        # Only quoted names are written into the SQL; the values are the one parameter.
        # WRITES_OPTION: a text() statement does not say which table it writes (kernel.memo asks).
        connection.execute(text(f"INSERT INTO {name} ({columns}) SELECT {columns} "
                                f"FROM json_populate_recordset(NULL::{name}, CAST(:rows AS json))")
                           .execution_options(**{WRITES_OPTION: table.name}),
                           {"rows": _to_json(rows)})
        return
    connection.execute(insert(table), rows)


# Dates and times as str() writes them ("2026-12-06 20:00:00.123456"), decimals as digits.
_to_json = json.JSONEncoder(ensure_ascii=False, default=str).encode
# Floats are left out: NaN and infinities have no JSON form.
_TEXT_EXACT = (str, int, bool, Decimal, dt.date, dt.datetime, dt.time)


def _as_text(column: Any) -> bool:
    """A column whose values PostgreSQL reads back exactly from their JSON or text form."""
    try:
        return column.type.python_type in _TEXT_EXACT
    except NotImplementedError:  # SQLAlchemy's answer for a type without a Python type
        return False


def number_new_rows(session: Session, model: Any, objs: list[Any]) -> None:
    """Give new rows of ``model`` their ids before the INSERT, so they go in by one executemany.

    Without them SQLAlchemy must learn each id from RETURNING: row by row on SQLite (which does
    not promise RETURNING's order) and through a sorting sub-select on PostgreSQL. PostgreSQL
    hands out ids from the column's own sequence, safe with any number of writers. SQLite
    numbers a row max(id) + 1 (no AUTOINCREMENT); a write transaction (``kernel.session``)
    holds the write lock from its first statement, so nobody else can take those ids meanwhile.
    """
    if not objs:
        return
    table = model.__table__
    with session.no_autoflush:
        if session.get_bind().dialect.name == "postgresql":
            ids = list(session.scalars(
                text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
                {"table": table.name, "n": len(objs)}))
        else:
            first = (session.scalar(select(func.max(table.c.id))) or 0) + 1
            ids = list(range(first, first + len(objs)))
    for obj, new_id in zip(objs, ids, strict=True):
        obj.id = new_id
