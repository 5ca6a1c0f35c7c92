"""Running an import (partners, or another module's :class:`ImportTarget`): upload, preview,
start, and the background job that writes the records in batches of 500 lines, each batch in its own transaction with its counters.

The job is an outbox consumer. "read" turns the file into batch files (so no batch re-reads
an xlsx from the top) and enqueues one "batch" message per batch; each "batch" message locks
the import row and takes the next batch, so batches run in order even with several workers.
A line that fails is recorded with its reasons and the others still go in.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
import uuid
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from kernel import Actor, Conflict, InputError, utcnow
from kernel.jobs import enqueue, interrupted_until
from modules.base.importer.mapping import PARTNER, Mapping
from modules.base.importer.reading import MAX_BYTES, detect_format, iter_rows, read_head
from modules.base.importer.rows import ParsedRow
from modules.base.importer.targets import ImportTarget, target_for
from modules.base.models import RoleKind
from modules.base.models.imports import Import, ImportError_

if TYPE_CHECKING:
    from kernel.kernel import Kernel

TOPIC = "base.import"
PERMISSION = "base.partner.import"
BATCH = 500
PREVIEW_ROWS = 20
ABANDONED = dt.timedelta(days=2)
_COPY = 1024 * 1024


def imports_dir(kernel: Kernel) -> Path:
    return kernel.config.files_dir / "imports"


def source_path(kernel: Kernel, imp: Import) -> Path:
    return imports_dir(kernel) / imp.stored_name


def chunks_dir(kernel: Kernel, imp: Import) -> Path:
    return imports_dir(kernel) / f"{imp.stored_name}.batches"


# -- upload, preview, start (called by the pages; no HTTP here) ------------------------------
def _target(kernel: Kernel, resource: str) -> ImportTarget:
    target = target_for(kernel, resource)
    if target is None:  # its module was disabled after the upload
        raise InputError("This kind of record cannot be imported")
    return target


def create_import(kernel: Kernel, session: Session, actor: Actor, filename: str, stream: IO[bytes],
                  resource: str = PARTNER) -> Import:
    """Keep the uploaded file (at most 20 MB), check it can be read, guess the mapping."""
    target = _target(kernel, resource)
    folder = imports_dir(kernel)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{uuid.uuid4().hex}.upload"
    size = 0
    try:
        with tmp.open("wb") as out:
            while block := stream.read(_COPY):
                size += len(block)
                if size > MAX_BYTES:
                    raise InputError("The file is larger than {mb} MB", mb=MAX_BYTES // (1024 * 1024))
                out.write(block)
        with tmp.open("rb") as f:
            fmt = detect_format(filename, f.read(8))
        stored = tmp.with_suffix(f".{fmt}")
        tmp.replace(stored)
        tmp = stored
        headers, _ = read_head(stored, fmt, 1)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    mapping = Mapping(columns=target.guess(kernel, headers))
    imp = Import(user_id=actor.user_id, resource=resource, file_name=Path(filename).name[:200] or "import",
                 stored_name=tmp.name,
                 file_format=fmt, headers=json.dumps(headers, ensure_ascii=False), mapping=mapping.to_json(),
                 status="uploaded")
    session.add(imp)
    session.flush()
    return imp


def get_import(session: Session, actor: Actor, import_id: int, *, lock: bool = False,
               resource: str = PARTNER) -> Import | None:
    """An import of ``resource`` its user (or an administrator) may see; anyone else's, or one
    of another kind of record (its pages are another target's), does not exist."""
    stmt = select(Import).where(Import.id == import_id, Import.resource == resource)
    if not actor.is_admin:
        stmt = stmt.where(Import.user_id == actor.user_id)
    if lock:
        stmt = stmt.with_for_update()
    return session.scalars(stmt).first()


def headers_of(imp: Import) -> list[str]:
    return [str(h) for h in json.loads(imp.headers or "[]")]


def mapping_of(imp: Import) -> Mapping:
    return Mapping.from_json(imp.mapping, len(headers_of(imp)))


def preview(kernel: Kernel, session: Session, imp: Import, mapping: Mapping) -> list[ParsedRow]:
    """The first lines parsed as the import would parse them, errors and all."""
    _, rows = read_head(source_path(kernel, imp), imp.file_format, PREVIEW_ROWS)
    parser = _target(kernel, imp.resource).parser(kernel, session, mapping)
    return [parser.parse(line, cells) for line, cells in rows]


def start(kernel: Kernel, session: Session, imp: Import, mapping: Mapping, lang: str = "fa") -> None:
    """Save the mapping and queue the import; the job does the rest."""
    problems = _target(kernel, imp.resource).check(kernel, mapping, lang)
    if problems:
        raise problems[0]
    if mapping.role and session.scalar(select(RoleKind.id).where(RoleKind.code == mapping.role,
                                                                 RoleKind.deleted_at.is_(None))) is None:
        raise InputError("Choose one of the listed values")
    if imp.status != "uploaded":
        raise Conflict("This import has already been started")
    imp.mapping = mapping.to_json()
    imp.mode = mapping.mode
    imp.status = "queued"
    enqueue(session, TOPIC, {"import_id": imp.id, "step": "read"})


# -- the job ---------------------------------------------------------------------------------
def run_job(session: Session, kernel: Kernel, payload: dict[str, Any]) -> None:
    """Consumer of ``base.import`` messages (registered in :mod:`modules.base.jobs`)."""
    import_id = int(payload["import_id"])
    imp = session.scalars(select(Import).where(Import.id == import_id).with_for_update()).first()
    if imp is None:
        return
    if payload.get("step") == "read":
        if imp.status == "queued":
            _read(kernel, session, imp)
    elif imp.status == "running" and imp.batches_done < imp.batches:
        _batch(kernel, session, imp)


def _fail(kernel: Kernel, session: Session, imp: Import, msgid: str) -> None:
    imp.status, imp.error, imp.finished_at = "failed", msgid, utcnow()
    _remove_files_after_commit(kernel, session, imp)


def _remove_files_after_commit(kernel: Kernel, session: Session, imp: Import) -> None:
    """The upload and its batch files go once the import is over: they hold personal data.
    Only after the commit, so a batch that is rolled back finds its file again."""
    files = (chunks_dir(kernel, imp), source_path(kernel, imp))

    def remove(_session: Session) -> None:
        shutil.rmtree(files[0], ignore_errors=True)
        files[1].unlink(missing_ok=True)

    event.listen(session, "after_commit", remove, once=True)


def _read(kernel: Kernel, session: Session, imp: Import) -> None:
    folder = chunks_dir(kernel, imp)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    total, batch = 0, []
    try:
        rows = iter_rows(source_path(kernel, imp), imp.file_format)
        next(rows, None)  # the header
        for row in rows:
            batch.append(row)
            total += 1
            if len(batch) == BATCH:
                _write_chunk(folder, total // BATCH - 1, batch)
                batch = []
        if batch:
            _write_chunk(folder, total // BATCH, batch)
    except InputError as exc:
        _fail(kernel, session, imp, exc.msgid)
        return
    except (OSError, UnicodeError, ValueError):
        _fail(kernel, session, imp, "The file could not be read as CSV or Excel")
        return
    imp.total, imp.batches, imp.started_at = total, math.ceil(total / BATCH), utcnow()
    imp.status = "running" if total else "done"
    if not total:
        imp.finished_at = utcnow()
        _remove_files_after_commit(kernel, session, imp)
    for _ in range(imp.batches):
        enqueue(session, TOPIC, {"import_id": imp.id, "step": "batch"})


def _write_chunk(folder: Path, index: int, rows: list[tuple[int, list[str]]]) -> None:
    (folder / f"{index:06d}.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")


def _batch(kernel: Kernel, session: Session, imp: Import) -> None:
    from kernel.security import load_actor

    actor = load_actor(session, imp.user_id)
    target = target_for(kernel, imp.resource)
    if target is None:
        _fail(kernel, session, imp, "This kind of record cannot be imported")
        return
    if actor is None or not actor.can(target.permission):
        _fail(kernel, session, imp, "The user who started this import may no longer import partners"
              if imp.resource == PARTNER else "The user who started this import may no longer import these records")
        return
    path = chunks_dir(kernel, imp) / f"{imp.batches_done:06d}.json"
    try:
        rows = [(int(line), [str(c) for c in cells]) for line, cells in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError):
        _fail(kernel, session, imp, "The file could not be read as CSV or Excel")
        return
    mapping = mapping_of(imp)
    before = session.info.get("actor")
    # Rows are written as the user who imports: owner, created by and history name them.
    session.info["actor"] = actor
    try:
        result = target.write(kernel, session, actor, mapping, rows)
    finally:
        session.info["actor"] = before
    for row in result.failed:
        details = [{"column": col, "msgid": exc.msgid, "params": _jsonable(exc.params)} for col, exc in row.errors]
        session.add(ImportError_(import_id=imp.id, line=row.line, message=row.errors[0][1].msgid[:300],
                                 details=json.dumps(details, ensure_ascii=False),
                                 cells=json.dumps(row.cells, ensure_ascii=False)))
    imp.done += len(rows)
    imp.created += result.created
    imp.updated += result.updated
    imp.skipped += result.skipped
    imp.failed += len(result.failed)
    imp.batches_done += 1
    if imp.batches_done >= imp.batches:
        imp.status, imp.finished_at = "done", utcnow()
        _remove_files_after_commit(kernel, session, imp)


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v if isinstance(v, int | float | str | bool) or v is None else str(v) for k, v in params.items()}


def forget_abandoned(session: Session, kernel: Kernel, now: dt.datetime) -> None:
    """Periodic job: an upload nobody went on to import is removed after two days."""
    stmt = select(Import).where(Import.status == "uploaded", Import.created_at < now - ABANDONED)
    for imp in session.scalars(stmt):
        _fail(kernel, session, imp, "The file was uploaded but never imported, and has been removed")


def progress(imp: Import) -> dict[str, Any]:
    """What the status page's progress bar polls."""
    total = imp.total or 0
    percent = 100 if imp.status == "done" else (int(imp.done * 100 / total) if total else 0)
    return {"id": imp.id, "status": imp.status, "total": total, "done": imp.done, "created": imp.created,
            "updated": imp.updated, "skipped": imp.skipped, "failed": imp.failed, "percent": percent,
            "finished": imp.status in ("done", "failed")}


def resumes_at(session: Session, imp: Import, now: dt.datetime | None = None) -> dt.datetime | None:
    """When an import whose worker stopped (a crash, a restart) is taken up again, or None
    while it is moving; the batches already written are kept and none is written twice."""
    if imp.status not in ("queued", "reading", "running"):
        return None
    from modules.base.jobs import IMPORT_JOB  # the job's retry delay decides when it resumes

    return interrupted_until(session, IMPORT_JOB, lambda p: p.get("import_id") == imp.id, now or utcnow())


def recent(session: Session, actor: Actor, limit: int = 20, resource: str = PARTNER) -> list[Import]:
    stmt = select(Import).where(Import.resource == resource).order_by(Import.id.desc()).limit(limit)
    if not actor.is_admin:
        stmt = stmt.where(Import.user_id == actor.user_id)
    return list(session.scalars(stmt))


def errors_of(session: Session, imp: Import, limit: int | None = None) -> list[ImportError_]:
    stmt = select(ImportError_).where(ImportError_.import_id == imp.id).order_by(ImportError_.line)
    return list(session.scalars(stmt.limit(limit) if limit else stmt))
