"""Migrated databases made once per test process and copied for each test (``make_kernel``).

Migrating a fresh database took most of a test's set-up: 0.5 s for tier 1, 1.5–3 s for tier 3
to tier 5, on every test. What a migrated database holds depends only on the dialect, the
enabled modules and their migration files, so the first test that asks for a module set
migrates a *template* and every test copies it:

- SQLite: the template file (checkpointed, its engine closed) is copied to the test's
  ``db.sqlite3`` — a file copy of a few hundred kilobytes.
- PostgreSQL: the template is a database of its own (the instance's tables in one schema,
  pg_trgm in ``public``), and each test gets ``CREATE DATABASE … TEMPLATE`` of it: about
  0.1 s where migrating took 1.3–1.8 s. The test's URL names its database and, as before, its
  schema in ``search_path``; the database is dropped after the test.

The key includes each migration file's name, size and modification time, so a test that
writes or edits a module's migrations (or a module in its own temporary directory) gets a
template of its own. A test that reopens a home whose database already exists migrates it as
before, and ``migrate=False`` still gives an empty database. The templates live in the run's
temporary directory, shared by its pytest-xdist workers: each is migrated once per run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kernel.kernel import Kernel

# The schema of every test database cloned from a template: each clone is a database of its own.
PG_SCHEMA = "peyvand"


def template_key(kernel: Kernel) -> tuple[Any, ...]:
    """What decides a migrated database's content: dialect, modules, their migration files."""
    from kernel.migrations import version_locations

    files: list[tuple[str, int, int]] = []
    for location in version_locations(kernel):
        for path in sorted(location.glob("*.py")):
            st = path.stat()
            files.append((str(path), st.st_size, st.st_mtime_ns))
    return (kernel.engine.dialect.name, kernel.module_names, tuple(files))


def with_database(url: str, database: str, schema: str | None = None) -> str:
    """``url`` pointing at another database, with ``schema`` as its search_path."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url).set(database=database)
    if schema is not None:
        parsed = parsed.update_query_dict({"options": f"-csearch_path={schema}"})
    return parsed.render_as_string(hide_password=False)


class Templates:
    """The run's templates, shared by its test processes (pytest-xdist workers) through files in
    ``root``: ``<key digest>.sqlite3`` (a SQLite template) and ``<key digest>.pg`` (the name of a
    PostgreSQL template database). The first process that needs one builds it holding the key's
    lock; the others wait for it and copy it. :func:`drop_templates` drops the PostgreSQL ones
    when the whole run ends."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.root = root

    def fill_sqlite(self, kernel: Kernel, target: Path) -> None:
        """Copy the migrated template of ``kernel``'s module set to ``target`` (its database file)."""
        digest = _digest(template_key(kernel))
        source = self.root / f"{digest}.sqlite3"
        if not source.exists():
            with self._lock(digest):
                if not source.exists():
                    building = self.root / f"{digest}.building-{os.getpid()}"
                    self._migrate(kernel, building, f"sqlite:///{building / 'db.sqlite3'}")
                    _checkpoint(building / "db.sqlite3")
                    os.replace(building / "db.sqlite3", source)
        shutil.copyfile(source, target)

    def clone_postgres(self, kernel: Kernel, admin_url: str) -> str:
        """Create ``kernel``'s (not yet used) database as a copy of its module set's template."""
        from sqlalchemy.engine import make_url

        digest = _digest(template_key(kernel))
        marker = self.root / f"{digest}.pg"
        database = str(make_url(kernel.config.database_url).database)
        # Held while copying too: PostgreSQL refuses to copy a template someone is connected to.
        with self._lock(digest):
            if not marker.exists():
                template = f"tpl_{uuid.uuid4().hex[:16]}"
                _pg_execute(admin_url, f"CREATE DATABASE {template}")
                try:
                    _pg_execute(with_database(admin_url, template), f"CREATE SCHEMA {PG_SCHEMA}")
                    self._migrate(kernel, self.root / template, with_database(admin_url, template, PG_SCHEMA))
                except BaseException:
                    drop_databases(admin_url, [template])
                    raise
                marker.write_text(f"{template}\n{admin_url}\n")
            template = marker.read_text().split()[0]
            _pg_execute(admin_url, f"CREATE DATABASE {database} TEMPLATE {template}")
        return database

    def _migrate(self, kernel: Kernel, home: Path, url: str) -> None:
        """Migrate a database with ``kernel``'s configuration, then close every connection to it
        (SQLite: the last close checkpoints the WAL into the file; PostgreSQL: a template
        cannot be copied while anyone is connected)."""
        from kernel import migrations
        from kernel.kernel import Kernel

        home.mkdir(parents=True, exist_ok=True)
        maker = Kernel(replace(kernel.config, home=home, database_url=url))
        try:
            migrations.upgrade(maker)
        finally:
            maker.engine.dispose()

    @contextmanager
    def _lock(self, digest: str) -> Iterator[None]:
        import fcntl

        with open(self.root / f"{digest}.lock", "a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)


def _checkpoint(path: Path) -> None:
    """Everything in the database file itself: the copy takes the file alone, not its WAL."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        raise RuntimeError(f"{wal} still holds pages after a checkpoint: something kept the template open")


def _digest(key: tuple[Any, ...]) -> str:
    return hashlib.sha256(repr(key).encode()).hexdigest()[:24]


def _pg_execute(url: str, statement: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(statement))
    finally:
        engine.dispose()


def drop_databases(admin_url: str, names: list[str]) -> None:
    """Drop test databases, closing what a test left connected (a server thread's pool)."""
    import sqlalchemy as sa

    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for name in names:
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        engine.dispose()


def drop_templates(root: Path) -> None:
    """Drop the run's PostgreSQL templates (called once, when every test process is done)."""
    for marker in sorted(root.glob("*.pg")):
        name, admin_url = marker.read_text().split()
        drop_databases(admin_url, [name])
        marker.unlink()


def shared_root(basetemp: Path, worker: bool) -> Path:
    """The run's template directory: a worker's basetemp is ``<run's basetemp>/<worker id>``."""
    return (basetemp.parent if worker else basetemp) / "db-templates"
