"""A person's photo (BASE-01): one of the partner's own image attachments, marked as its photo.

:func:`photo_url` is what other modules use (the caller pop-up, a clinic's patient card).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import Actor, InputError, RecordChanged
from kernel.models import Attachment
from kernel.persian.textnorm import clean_input
from kernel.records import get_record
from kernel.web.attachments import store_file
from modules.base.models import Partner

if TYPE_CHECKING:
    from kernel.kernel import Kernel

# Content type → the bytes an image of that type starts with (what the name claims is not enough).
IMAGE_TYPES: dict[str, tuple[bytes, ...]] = {
    "image/png": (b"\x89PNG\r\n\x1a\n",), "image/jpeg": (b"\xff\xd8\xff",), "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}
EXTENSIONS = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


def attachment_url(attachment_id: int) -> str:
    return f"/attachments/{attachment_id}?inline=1"


def photo_url(session: Session, partner_id: int) -> str | None:
    """The address of the partner's photo, or None. The file itself is served only to users who
    may see the partner (the kernel's attachment route checks the record)."""
    found = session.scalar(select(Attachment.id).join(Partner, Partner.photo_attachment_id == Attachment.id)
                           .where(Partner.id == partner_id, Partner.deleted_at.is_(None),
                                  Attachment.deleted_at.is_(None), Attachment.content_type.in_(IMAGE_TYPES)))
    return attachment_url(found) if found else None


def image_attachments(session: Session, partner_id: int) -> list[Attachment]:
    """The partner's image attachments that could be its photo, newest first."""
    return list(session.scalars(select(Attachment).where(
        Attachment.table_name == Partner.__tablename__, Attachment.record_id == partner_id,
        Attachment.deleted_at.is_(None), Attachment.content_type.in_(IMAGE_TYPES)).order_by(Attachment.id.desc())))


def set_photo(kernel: Kernel, session: Session, actor: Actor, partner_id: int, attachment_id: int | None) -> None:
    """Mark one of the partner's image attachments as its photo (None removes the mark)."""
    partner = get_record(kernel, session, actor, kernel.resources["base.partner"], partner_id, "edit")
    if attachment_id is not None:
        att = session.get(Attachment, attachment_id)
        if att is None or att.deleted_at is not None or att.table_name != Partner.__tablename__ \
                or att.record_id != partner.id:
            raise InputError("Choose one of the listed values")
        if att.content_type not in IMAGE_TYPES:
            raise InputError("Only an image (PNG, JPEG, GIF or WebP) can be the photo")
    partner.photo_attachment_id = attachment_id
    session.flush()
    kernel.emit(RecordChanged("base.partner", partner.id, "update"), session)


def upload_photo(kernel: Kernel, session: Session, actor: Actor, partner_id: int, filename: str,
                 content: bytes) -> Attachment:
    """Attach an image to the partner and make it its photo, in one step."""
    get_record(kernel, session, actor, kernel.resources["base.partner"], partner_id, "edit")
    # Cleaned as the kernel's upload does: no bidi override may hide the real extension.
    name = clean_input(Path(filename).name).replace("\n", " ")[:200]
    ctype = EXTENSIONS.get(name.rsplit(".", 1)[-1].lower() if "." in name else "")
    if not content:
        raise InputError("Choose a file")
    if ctype is None or not content.startswith(IMAGE_TYPES[ctype]) or (ctype == "image/webp" and content[8:12] != b"WEBP"):
        raise InputError("Only an image (PNG, JPEG, GIF or WebP) can be the photo")
    if len(content) > kernel.config.max_upload_bytes:
        raise InputError("The file is larger than {mb} MB", mb=kernel.config.max_upload_bytes // (1024 * 1024))
    att = Attachment(table_name=Partner.__tablename__, record_id=partner_id, filename=name, content_type=ctype,
                     size=len(content), sha256=store_file(kernel.config.files_dir, content),
                     created_by_id=actor.user_id or None)
    session.add(att)
    session.flush()
    set_photo(kernel, session, actor, partner_id, att.id)
    return att
