"""Backup and restore of the database and the files store (KER-15, INT-05), on both engines."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from kernel.kernel import Kernel


def _pg_args(kernel: Kernel) -> tuple[list[str], dict[str, str]]:
    url = make_url(kernel.config.database_url)
    args = ["-h", url.host or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    env = {"PGPASSWORD": url.password or ""} if url.password else {}
    options = str(url.query.get("options", ""))
    if "search_path=" in options:
        # An instance that lives in one schema (hosted: one schema per customer) is that schema only.
        env["PGOPTIONS"] = options
    return [*args, "-d", url.database or ""], env


def _schema(kernel: Kernel) -> list[str]:
    options = str(make_url(kernel.config.database_url).query.get("options", ""))
    if "search_path=" not in options:
        return []
    return ["-n", options.split("search_path=", 1)[1].split(",")[0].strip()]


def backup(kernel: Kernel, target: Path | None = None) -> Path:
    """One .tar.gz with the database (SQLite online backup or pg_dump) and every attached file."""
    import os

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = target or kernel.config.home / "backups" / f"peyvand-{stamp}.tar.gz"
    if not target.parent.exists():
        target.parent.mkdir(parents=True)
        target.parent.chmod(0o700)
    with tempfile.TemporaryDirectory() as tmp:
        if kernel.engine.dialect.name == "sqlite":
            db_file = Path(tmp) / "database.sqlite3"
            src = sqlite3.connect(make_url(kernel.config.database_url).database or "")
            dst = sqlite3.connect(db_file)
            with dst:
                src.backup(dst)  # consistent even while the server writes
            src.close()
            dst.close()
        else:
            db_file = Path(tmp) / "database.pgdump"
            args, env = _pg_args(kernel)
            subprocess.run(["pg_dump", "-Fc", "-f", str(db_file), *_schema(kernel), *args], check=True,
                           env={**os.environ, **env})
        # A backup holds password hashes and every customer: readable by its owner alone (0600),
        # from its first byte on, whatever the umask.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            tar.add(db_file, arcname=db_file.name)
            if kernel.config.files_dir.exists():
                tar.add(kernel.config.files_dir, arcname="files")
            info = tarfile.TarInfo("ENGINE")
            data = kernel.engine.dialect.name.encode()
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


def restore(kernel: Kernel, source: Path) -> None:
    """Replace the database and files with a backup made by :func:`backup` on the same engine."""
    import os

    with tempfile.TemporaryDirectory() as tmp, tarfile.open(source, "r:gz") as tar:
        tar.extractall(tmp, filter="data")
        engine_name = (Path(tmp) / "ENGINE").read_text()
        if engine_name != kernel.engine.dialect.name:
            raise ValueError(f"this backup is of a {engine_name} database; this instance uses "
                             f"{kernel.engine.dialect.name}")
        kernel.engine.dispose()
        if engine_name == "sqlite":
            dst = sqlite3.connect(make_url(kernel.config.database_url).database or "")
            src = sqlite3.connect(Path(tmp) / "database.sqlite3")
            with dst:
                src.backup(dst)
            src.close()
            dst.close()
        else:
            args, env = _pg_args(kernel)
            subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", *args,
                            str(Path(tmp) / "database.pgdump")], check=True, env={**os.environ, **env})
        files = Path(tmp) / "files"
        if files.exists():
            shutil.rmtree(kernel.config.files_dir, ignore_errors=True)
            shutil.copytree(files, kernel.config.files_dir)
