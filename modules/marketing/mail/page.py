"""What the "New e-mail" page adds to the composer: the uploaded files and a record's document
(``?attach=finance.proforma:12``, given by the module that owns the record through the hook
``marketing_email_attachment``), read into :class:`~.attachments.File` for the draft."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request

from kernel import InputError
from kernel.mail import mail_enabled
from kernel.records import FormErrors
from kernel.web.templating import request_lang
from modules.marketing.mail import attachments

NOT_FOUND = "The document to attach was not found, or you may not print it"


def document(request: Request, session: Session, ref: str, render: bool) -> dict[str, Any] | None:
    kernel = request.app.state.kernel
    found = kernel.pm.hook.marketing_email_attachment(
        kernel=kernel, session=session, actor=request.state.actor, ref=ref, lang=request_lang(request),
        env=request.app.state.jinja, render=render)
    return found if isinstance(found, dict) else None


def files_of(request: Request, typed: dict[str, str]) -> list[attachments.File]:
    """The uploaded files (each read to one byte past the limit at most) and the attached document."""
    kernel = request.app.state.kernel
    source = request.state.form
    out: list[attachments.File] = []
    with kernel.sessions() as session:
        most = attachments.limit(kernel, session)
        for upload in (source.getlist("attachment") if source is not None else ()):
            if not hasattr(upload, "read") or not getattr(upload, "filename", ""):
                continue  # the file input left empty
            name = attachments.clean_name(upload.filename)
            out.append(attachments.File(name, attachments.mime_of(name, upload.content_type or ""),
                                        upload.file.read(most + 1)))
        ref = typed.get("attach", "")
        if ref:
            doc = document(request, session, ref, True)
            if doc is None:
                raise FormErrors({"attachment": InputError(NOT_FOUND)})
            out.append(attachments.File(str(doc["filename"]), str(doc["content_type"]), bytes(doc["content"])))
    return out


def extras(request: Request, session: Session, typed: dict[str, str]) -> dict[str, Any]:
    """The page's e-mail parts: whether SMTP is set, the size limit, the attached document's name
    (and its partner, chosen as the recipient when none is)."""
    kernel = request.app.state.kernel
    attached = None
    if typed.get("attach"):
        doc = document(request, session, typed["attach"], False)
        attached = str(doc["title"]) if doc else None
        if doc and doc.get("partner_id") and not typed.get("partner_id") and not typed.get("query"):
            typed["partner_id"], typed["audience"] = str(doc["partner_id"]), "partner"
    return {"mail_ok": mail_enabled(kernel.config), "attach_max_kb": attachments.limit(kernel, session) // 1024,
            "attached": attached}
