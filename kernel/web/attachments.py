"""Attachments on any record (KER-08): size and type limits, content-addressed storage, safe serving."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from kernel import records
from kernel.db import utcnow
from kernel.errors import NotFound
from kernel.models import Attachment
from kernel.persian.textnorm import clean_input
from kernel.routing import AUTHENTICATED, Route
from kernel.web.forms import form, redirect, tr

# Extension → (content type, magic prefixes). The content must match what the name claims.
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF",)),
    "png": ("image/png", (b"\x89PNG",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "gif": ("image/gif", (b"GIF8",)),
    "webp": ("image/webp", (b"RIFF",)),
    "txt": ("text/plain", ()),
    "csv": ("text/csv", ()),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK",)),
    "zip": ("application/zip", (b"PK",)),
}


def store_file(files_dir: Path, data: bytes) -> str:
    """Keep ``data`` in the files store under its SHA-256 (written once; safe if two race)."""
    digest = hashlib.sha256(data).hexdigest()
    path = files_dir / digest[:2] / digest
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return digest


def _resource(request: Request, name: str) -> object:
    kernel = request.app.state.kernel
    res = kernel.resources.get(name)
    if res is None:
        raise NotFound(name)
    return res


def upload(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    data = form(request)
    res = kernel.resources.get(str(data.get("resource", "")))
    rid = str(data.get("record_id", ""))
    if res is None or not rid.isdigit():
        return Response(tr(request, "Not found"), status_code=404)
    with kernel.sessions() as session:
        try:
            # First of all: a record outside the scope is not there, whatever else is wrong.
            records.get_record(kernel, session, actor, res, int(rid), "edit")
        except NotFound:
            return Response(tr(request, "Not found"), status_code=404)
    back = f"{res.url}{rid}"
    upload_file = data.get("file")
    if upload_file is None or not hasattr(upload_file, "read") or not upload_file.filename:
        return redirect(back + "?msg=" + quote(tr(request, "Choose a file")))
    # Cleaned like any typed text: a right-to-left override would show "report\u202efdp.txt"
    # as "reporttxt.pdf" and hide the real extension from the reader.
    name = clean_input(Path(upload_file.filename).name).replace("\n", " ")[:200]
    if not name:
        return redirect(back + "?msg=" + quote(tr(request, "Choose a file")))
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    content = upload_file.file.read(kernel.config.max_upload_bytes + 1)
    if len(content) > kernel.config.max_upload_bytes:
        msg = tr(request, "The file is larger than {mb} MB", mb=kernel.config.max_upload_bytes // (1024 * 1024))
        return redirect(back + "?msg=" + quote(msg))
    if ext not in ALLOWED or (ALLOWED[ext][1] and not content.startswith(ALLOWED[ext][1])):
        return redirect(back + "?msg=" + quote(tr(request, "This type of file is not accepted")))
    try:
        with kernel.session(actor) as session:
            records.get_record(kernel, session, actor, res, int(rid), "edit")
            digest = store_file(kernel.config.files_dir, content)
            session.add(Attachment(table_name=res.table.name, record_id=int(rid), filename=name,
                                   content_type=ALLOWED[ext][0], size=len(content), sha256=digest,
                                   created_by_id=actor.user_id or None))
    except NotFound:
        return Response(tr(request, "Not found"), status_code=404)
    return redirect(back)


def _attachment(request: Request, action: str) -> tuple[Attachment, object] | None:
    kernel = request.app.state.kernel
    actor = request.state.actor
    with kernel.sessions() as session:
        att = session.get(Attachment, request.path_params["id"])
        if att is None or att.deleted_at is not None:
            return None
        res = kernel.resource_for_table(att.table_name)
        if res is None:
            return None
        try:
            # The file is visible exactly when its record is (permission and record scope).
            records.get_record(kernel, session, actor, res, att.record_id, action)
        except NotFound:
            return None
        return att, res


def download(request: Request) -> Response:
    found = _attachment(request, "view")
    if found is None:
        return Response(tr(request, "Not found"), status_code=404)
    att, _ = found
    path = request.app.state.kernel.config.files_dir / att.sha256[:2] / att.sha256
    inline = att.content_type in ("application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp")
    disp = "inline" if inline and request.query_params.get("inline") else "attachment"
    return Response(path.read_bytes(), media_type=att.content_type, headers={
        "content-disposition": f"{disp}; filename*=UTF-8''{quote(att.filename)}",
        "content-security-policy": "sandbox; default-src 'none'; img-src 'self'",
        "x-content-type-options": "nosniff",
    })


def remove(request: Request) -> Response:
    found = _attachment(request, "edit")
    if found is None:
        return Response(tr(request, "Not found"), status_code=404)
    att, res = found
    kernel = request.app.state.kernel
    with kernel.session(request.state.actor) as session:
        row = session.scalars(select(Attachment).where(Attachment.id == att.id)).one()
        row.deleted_at = utcnow()
    return redirect(f"{res.url}{att.record_id}")  # type: ignore[attr-defined]


def routes() -> list[Route]:
    # The record's own permission is checked inside: which resource is known only from the row.
    return [
        Route("/attachments", upload, methods=["POST"], permission=AUTHENTICATED, name="attachment_upload"),
        Route("/attachments/{id:int}", download, methods=["GET"], permission=AUTHENTICATED, name="attachment"),
        Route("/attachments/{id:int}/delete", remove, methods=["POST"], permission=AUTHENTICATED,
              name="attachment_delete"),
    ]
