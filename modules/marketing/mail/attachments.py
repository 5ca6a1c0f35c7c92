"""A send's attached files: checked against the size limit (setting ``marketing.email_max_bytes``,
by default the kernel's upload limit), stored once per send in the kernel's files store as
``kernel_attachment`` rows of the send (not once per message: a bulk send of 5,000 carries one
copy), and read back by the e-mail job for each message."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import InputError
from kernel.models import Attachment
from kernel.persian.textnorm import clean_input
from kernel.web.attachments import ALLOWED, store_file
from modules.marketing.models import Send

MAX_SETTING = "marketing.email_max_bytes"
TABLE = Send.__tablename__
TOO_LARGE = "The attachments are larger than {kb} KB together"
NOT_ACCEPTED = "This type of file is not accepted"


@dataclass(frozen=True)
class File:
    filename: str
    content_type: str
    content: bytes


def limit(kernel: Any, session: Session) -> int:
    return int(kernel.setting(session, MAX_SETTING, kernel.config.max_upload_bytes))


def clean_name(raw: str) -> str:
    # Cleaned like typed text: a right-to-left override would hide the real extension.
    return clean_input(Path(raw or "").name).replace("\n", " ").strip()[:200]


def mime_of(filename: str, claimed: str) -> str:
    """The type the kernel's attachments give this name's extension, not the browser's claim."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return ALLOWED[ext][0] if ext in ALLOWED else claimed or "application/octet-stream"


def check(kernel: Any, session: Session, files: Sequence[File]) -> InputError | None:
    """Why these files cannot go, or None: a type the kernel's attachments refuse (its content
    must match what its name claims), or a total beyond the limit."""
    for f in files:
        ext = f.filename.rsplit(".", 1)[-1].lower() if "." in f.filename else ""
        if ext not in ALLOWED or (ALLOWED[ext][1] and not f.content.startswith(ALLOWED[ext][1])):
            return InputError(NOT_ACCEPTED)
    most = limit(kernel, session)
    if sum(len(f.content) for f in files) > most:
        return InputError(TOO_LARGE, kb=max(most // 1024, 1))
    return None


def store(files_dir: Path, session: Session, send_id: int, files: Sequence[File], user_id: int | None) -> None:
    for f in files:
        digest = store_file(files_dir, f.content)
        session.add(Attachment(table_name=TABLE, record_id=send_id, filename=f.filename, content_type=f.content_type,
                               size=len(f.content), sha256=digest, created_by_id=user_id))


def of_send(files_dir: Path, session: Session, send_id: int | None) -> list[tuple[str, str, bytes]]:
    """The send's files as ``kernel.mail`` takes them."""
    if send_id is None:
        return []
    rows = session.execute(select(Attachment.filename, Attachment.content_type, Attachment.sha256).where(
        Attachment.table_name == TABLE, Attachment.record_id == send_id, Attachment.deleted_at.is_(None))
        .order_by(Attachment.id)).all()
    return [(name, mime, (files_dir / sha[:2] / sha).read_bytes()) for name, mime, sha in rows]
