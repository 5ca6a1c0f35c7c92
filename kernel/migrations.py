"""Alembic glue: one migration branch per enabled module, plus the kernel's own branch."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from kernel import search_index
from kernel.plugins import ModuleError

if TYPE_CHECKING:
    from kernel.kernel import Kernel

KERNEL_MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(kernel: Kernel, only_module: str | None = None) -> Config:
    """Built in code: version locations must be known before env.py runs."""
    cfg = Config()
    cfg.set_main_option("script_location", str(KERNEL_MIGRATIONS))
    cfg.set_main_option("path_separator", "newline")
    cfg.set_main_option("version_locations", "\n".join(str(p) for p in version_locations(kernel)))
    cfg.attributes["kernel"] = kernel
    cfg.attributes["only_module"] = only_module
    return cfg


def version_locations(kernel: Kernel) -> list[Path]:
    paths = [KERNEL_MIGRATIONS / "versions"]
    for info in kernel.modules:
        path = info.path / "migrations" / "versions"
        if path.is_dir():
            paths.append(path)
    return paths


@contextmanager
def migrating(kernel: Kernel) -> Iterator[Connection]:
    """One connection in one transaction for Alembic's commands.

    On SQLite the foreign keys are off meanwhile and checked before the commit: batch mode
    changes a table by copying it, dropping the old one and renaming the copy, and with them on,
    dropping a table that others point at deletes its children (ON DELETE CASCADE: an invoice's
    lines vanished) or fails (RESTRICT). The pragma is ignored inside a transaction, so it is set
    on the driver's connection before the BEGIN, and set back whatever happens."""
    with kernel.engine.connect() as conn:
        raw: Any = conn.connection.dbapi_connection if conn.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                yield conn
                if raw is not None:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise ModuleError(f"a migration leaves {len(broken)} rows pointing at nothing, e.g. "
                                          f"{broken[0][0]} row {broken[0][1]} → {broken[0][2]}; nothing was changed")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def upgrade(kernel: Kernel) -> list[str]:
    """Apply every enabled module's head; a newly enabled module gets its tables, rows stay.

    Returns one notice per enabled module whose models have tables no migration created yet:
    the documented step between writing models and ``peyvand db revision``, not an error.
    """
    with migrating(kernel) as conn:
        cfg = alembic_config(kernel)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
        missing = unmigrated(kernel, conn)
        # The search index of a table that does not exist yet is made by the upgrade after
        # the module's first revision.
        skip = {t for tables in missing.values() for t in tables}
        search_index.ensure(kernel, conn, skip=skip)
    return [f"module {name!r} has models but no migration yet (tables {', '.join(tables)}): "
            f"run 'peyvand db revision --module {name} -m \"{name} initial\"', then 'peyvand db upgrade'"
            for name, tables in missing.items()]


def unmigrated(kernel: Kernel, conn: Connection) -> dict[str, list[str]]:
    """Tables of enabled modules' models that the database lacks, by module."""
    have = set(inspect(conn).get_table_names())
    out: dict[str, list[str]] = {}
    for name in ("kernel", *kernel.module_names):
        tables = sorted(t.name for t in kernel.metadata.sorted_tables
                        if t.name.startswith(f"{name}_") and t.name not in have)
        if tables:
            out[name] = tables
    return out


def current_heads(kernel: Kernel) -> set[str]:
    with kernel.engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def pending(kernel: Kernel) -> bool:
    """True when some enabled module has revisions the database has not applied."""
    script = ScriptDirectory.from_config(alembic_config(kernel))
    current = tuple(current_heads(kernel))
    # alembic_version keeps only the tips: a head implied through depends_on is not listed.
    return any(True for _ in script.iterate_revisions("heads", current or "base"))


def diff(kernel: Kernel, only_module: str | None = None) -> list[Any]:
    """What autogenerate would change: empty when models and migrations agree."""
    with kernel.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={"include_object": kernel.migration_filter(only_module), "compare_type": True},
        )
        return list(compare_metadata(ctx, kernel.metadata))


def revision(kernel: Kernel, module: str, message: str) -> None:
    """Autogenerate the next revision of one module's branch (``peyvand db revision``)."""
    cfg = alembic_config(kernel, only_module=module)
    script = ScriptDirectory.from_config(cfg)
    if module == "kernel":
        command.revision(cfg, message=message, autogenerate=True, head="kernel@head")
        return
    info = next((i for i in kernel.modules if i.name == module), None)
    if info is None:
        raise ModuleError(f"module {module!r} is not enabled; enabled modules: {', '.join(kernel.module_names)}")
    versions = info.path / "migrations" / "versions"
    has_branch = any(module in (rev.branch_labels or ()) for rev in script.walk_revisions())
    if has_branch:
        # The head's revision id, not "<module>@head": "base@head" means something else to Alembic.
        (head,) = [h for h in _dependency_heads(kernel, script, (module,), with_kernel=False)]
        command.revision(cfg, message=message, autogenerate=True, head=head)
    else:
        versions.mkdir(parents=True, exist_ok=True)
        command.revision(
            cfg,
            message=message,
            autogenerate=True,
            head="base",
            branch_label=module,
            version_path=str(versions),
            # Alembic's annotation says str, but it documents and accepts a list of revisions.
            depends_on=_dependency_heads(kernel, script, info.manifest.depends),  # type: ignore[arg-type]
        )


def _dependency_heads(kernel: Kernel, script: ScriptDirectory, depends: tuple[str, ...],
                      with_kernel: bool = True) -> list[str]:
    """Current head revision ids of the kernel and of each dependency's branch.

    Revision ids, not branch labels: a module named ``base`` would collide with Alembic's own
    ``base`` keyword.
    """
    dirs = {"kernel": KERNEL_MIGRATIONS / "versions"}
    dirs |= {i.name: i.path / "migrations" / "versions" for i in kernel.modules}
    names = ("kernel", *depends) if with_kernel else depends
    wanted = [dirs[d].resolve() for d in names if d in dirs]
    out = []
    for head in script.get_heads():
        rev = script.get_revision(head)
        if rev is not None and Path(rev.path).resolve().parent in wanted:
            out.append(rev.revision)
    return out


def backfill_sort_keys(conn: Connection, table: str, source: str, batch: int = 5_000) -> None:
    """For a migration that adds a ``sort_key`` column: every row's key of its ``source`` text,
    made by Python (:func:`kernel.persian.collation.sort_key`) as every later save makes it — in
    id order, a batch at a time, so a million rows never sit in memory at once."""
    import sqlalchemy as sa

    from kernel.persian.collation import sort_key

    t = sa.table(table, sa.column("id", sa.Integer), sa.column(source, sa.String), sa.column("sort_key", sa.String))
    update = sa.update(t).where(t.c.id == sa.bindparam("rid")).values(sort_key=sa.bindparam("key"))
    last = 0
    while rows := conn.execute(sa.select(t.c.id, t.c[source]).where(t.c.id > last).order_by(t.c.id)
                               .limit(batch)).all():
        conn.execute(update, [{"rid": rid, "key": sort_key(text)} for rid, text in rows])
        last = rows[-1][0]
