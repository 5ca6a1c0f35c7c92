"""Trigram indexes behind every resource's ``search_key``, so "any part of a name" is found
without reading the whole table (KER-12, KER-16).

PostgreSQL: a GIN ``pg_trgm`` index, which ``LIKE '%…%'`` uses by itself. SQLite: an FTS5
table with the trigram tokenizer, kept in step by triggers, queried with MATCH. Both are
derived data: :func:`ensure` (re)creates what is missing after every upgrade, so a batch
migration that rebuilds a table (and drops its triggers) cannot leave search silently stale,
and module authors write nothing for it. Alembic ignores these objects (:func:`is_index_object`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, literal_column, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from kernel.contracts import KernelView
    from kernel.resources import Resource

log = logging.getLogger("peyvand.search")
FTS = "_fts"
FTS_SHADOW = ("_fts", "_fts_data", "_fts_idx", "_fts_docsize", "_fts_config", "_fts_content")
TRGM = "_search_trgm"
MIN_CHARS = 3  # a trigram index cannot answer shorter fragments; those scan


def is_index_object(name: str | None) -> bool:
    return bool(name) and (str(name).endswith(FTS_SHADOW) or str(name).endswith(TRGM))


def _sqlite(conn: Connection, table: str) -> bool:
    fts = f"{table}{FTS}"
    have = conn.execute(text("SELECT name FROM sqlite_master WHERE name IN (:a, :b, :c, :d)"),
                        {"a": fts, "b": f"{fts}_ai", "c": f"{fts}_ad", "d": f"{fts}_au"}).scalars().all()
    if len(have) == 4:
        return False
    conn.execute(text(f"DROP TABLE IF EXISTS {fts}"))
    for trig in ("ai", "ad", "au"):
        conn.execute(text(f"DROP TRIGGER IF EXISTS {fts}_{trig}"))
    conn.execute(text(f"CREATE VIRTUAL TABLE {fts} USING fts5(search_key, content='{table}', "
                      f"content_rowid='id', tokenize='trigram')"))
    conn.execute(text(f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
                      f"INSERT INTO {fts}(rowid, search_key) VALUES (new.id, new.search_key); END"))
    conn.execute(text(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
                      f"INSERT INTO {fts}({fts}, rowid, search_key) VALUES ('delete', old.id, old.search_key); END"))
    conn.execute(text(f"CREATE TRIGGER {fts}_au AFTER UPDATE OF search_key ON {table} BEGIN "
                      f"INSERT INTO {fts}({fts}, rowid, search_key) VALUES ('delete', old.id, old.search_key); "
                      f"INSERT INTO {fts}(rowid, search_key) VALUES (new.id, new.search_key); END"))
    conn.execute(text(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')"))
    return True


def _trgm_schema(conn: Connection) -> str | None:
    found = conn.execute(text("SELECT extnamespace::regnamespace::text FROM pg_extension "
                              "WHERE extname = 'pg_trgm'")).scalar()
    if found:
        return str(found)
    try:
        with conn.begin_nested():
            # Trusted since PostgreSQL 13: the database owner may create it. Kept out of the
            # per-instance schema so several instances (or test schemas) share one.
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
    except DBAPIError as exc:
        log.warning("pg_trgm is not available (%s); search will scan tables", exc.orig)
        return None
    return "public"


def _postgresql(conn: Connection, table: str) -> bool:
    name = f"{table}{TRGM}"
    if conn.execute(text("SELECT to_regclass(:n)"), {"n": name}).scalar():
        return False
    schema = _trgm_schema(conn)
    if schema is None:
        return False
    conn.execute(text(f"CREATE INDEX {name} ON {table} USING gin (search_key {schema}.gin_trgm_ops)"))
    return True


def ensure(kernel: KernelView, conn: Connection, skip: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Create the search index of every resource table with a ``search_key``; returns the new ones.

    ``skip`` names tables that do not exist yet (a module before its first migration)."""
    made = []
    tables = sorted({r.table.name for r in kernel.resources.values() if r.has_search_key} - set(skip))
    for table in tables:
        created = _sqlite(conn, table) if conn.dialect.name == "sqlite" else _postgresql(conn, table)
        if created:
            made.append(table)
    return made


def has_fts(kernel: KernelView, table: str) -> bool:
    """Whether SQLite has the FTS table (looked up once per Kernel)."""
    cache: dict[str, bool] = kernel.__dict__.setdefault("_fts_tables", {})
    if table not in cache:
        with kernel.engine.connect() as conn:
            cache[table] = bool(conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = :n"),
                                             {"n": f"{table}{FTS}"}).first())
    return cache[table]


def condition(kernel: KernelView, res: Resource, key: str, newest: int | None = None) -> ColumnElement[bool]:
    """Rows whose search key contains ``key`` (already normalised).

    ``newest`` keeps only that many of the most recent matches: the top-bar box wants a few
    hits at once, and a common fragment ("محمد") matches tens of thousands of rows at a million
    partners — reading and sorting them all costs 100 ms where 200 cost under one.
    """
    model: Any = res.model
    table = res.table.name
    if len(key) >= MIN_CHARS and kernel.engine.dialect.name == "sqlite" and has_fts(kernel, table):
        phrase = '"' + key.replace('"', '""') + '"'
        rowid: Any = literal_column("rowid")
        # A text() condition with its parameter: a custom operator (``.op("MATCH")``) cost
        # SQLAlchemy 0.1–0.2 ms to build on every search, more than SQLite's match.
        match = text(f"{table}{FTS} MATCH :fts_phrase").bindparams(fts_phrase=phrase)
        ids: Any = select(rowid).select_from(text(f"{table}{FTS}")).where(match)
        if newest:
            ids = ids.order_by(rowid.desc()).limit(newest)
        return model.id.in_(ids)
    found = model.search_key.contains(key, autoescape=True)
    if newest:
        recent = select(model.id).where(found).order_by(model.id.desc()).limit(newest)
        return model.id.in_(recent)
    return found


WALK_ROWS = 5_000
"""How far a searched list on PostgreSQL walks its sort order looking for a page (see below)."""


def ids_first(kernel: KernelView, res: Resource, key: str) -> bool:
    """Whether a list searched for ``key`` finds its page's ids before loading rows: on
    PostgreSQL, through the trigram index (a shorter key has no trigram to look up).

    A list sorted by name and filtered by ``search_key LIKE '%…%'``, left to the planner, walks
    the name index and filters: quick when matches are common and spread, but it reads the
    whole table when they sort late — «کیوان» at 200,000 partners: 1.2 s with 192,882 rows
    filtered out; «فروشگاه» (a company's first word, 9,544 matches from row 122,398 on) too.
    ``kernel.records.list_records`` instead sorts few matches itself and tries the walk for
    many only over :data:`WALK_ROWS` rows (:func:`walked_ids`), so the cost follows the number
    of matches and never where they sort."""
    return kernel.engine.dialect.name == "postgresql" and res.has_search_key and len(key) >= MIN_CHARS


def walked_ids(session: Any, stmt: Any, res: Resource, key: str, sort_col: Any, descending: bool,
               limit: int) -> list[int]:
    """The ids of the first ``limit`` rows of ``stmt`` in the order of ``sort_col`` and id whose
    search key contains ``key``, when they are among its first :data:`WALK_ROWS` rows; fewer
    when they are not.

    For a fragment with many matches: spread through the name order, a page is met within a
    few thousand rows («محمد», one partner in 25: 2,032 rows for 51), the cheapest plan there
    is. The bound keeps a fragment whose many matches all sort late («فروشگاه») from reading
    the whole table; the caller then sorts the matches instead. The bound sits in a subquery
    so the search condition cannot turn the planner from the walk to the trigram index."""
    model: Any = res.model
    inner_order = (sort_col.desc(), model.id.desc()) if descending else (sort_col.asc(), model.id.asc())
    inner = (stmt.with_only_columns(sort_col.label("k"), model.id.label("id"), model.search_key.label("sk"),
                                    maintain_column_froms=True)
             .order_by(*inner_order).limit(WALK_ROWS).subquery())
    # The same order outside: PostgreSQL keeps the walk's order (no sort node, stops at `limit`).
    outer_order = (inner.c.k.desc(), inner.c.id.desc()) if descending else (inner.c.k.asc(), inner.c.id.asc())
    return list(session.scalars(select(inner.c.id).where(inner.c.sk.contains(key, autoescape=True))
                                .order_by(*outer_order).limit(limit)))
