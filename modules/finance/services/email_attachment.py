"""A proforma's or an invoice's PDF for the marketing module's e-mail composer (MKT-03): finance
fills marketing's hook ``marketing_email_attachment`` without importing marketing (neither
module depends on the other), registered with ``optionalhook`` so finance loads alone too."""

from __future__ import annotations

from typing import Any

from kernel import NotFound, PermissionDenied
from kernel.records import get_record

DOCS = ("finance.proforma", "finance.invoice")


def attachment(kernel: Any, session: Any, actor: Any, ref: str, lang: str, env: Any, render: bool) -> Any:
    """``"finance.proforma:12"`` → the PDF as printed with the default options, read with the
    print permission and the record scope (another user's proforma is not found); else None."""
    from modules.finance import printing

    name, _, raw = ref.partition(":")
    if name not in DOCS or not raw.isdigit() or name not in kernel.resources:
        return None
    try:
        doc = get_record(kernel, session, actor, kernel.resources[name], int(raw), "print")
    except (NotFound, PermissionDenied):
        return None
    filename = printing.file_name(kernel, doc, lang)
    content = printing.document_pdf(kernel, env, session, actor, doc, printing.PrintOptions(), lang) if render else b""
    return {"filename": filename, "content_type": "application/pdf", "content": content,
            "partner_id": doc.partner_id, "title": filename.removesuffix(".pdf")}
