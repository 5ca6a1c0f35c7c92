"""FIN-15: e-mail a printed proforma or invoice. The PDF is rendered when the user asks (what they
saw is what is sent) and written into the outbox in the same transaction as a line in the
document's history; the outbox job sends it once, with the outbox's retries, and a Message-ID of
its own so a retry after a lost answer is recognisably the same message."""

from __future__ import annotations

import base64
import re
import uuid
from typing import Any

from jinja2 import Environment
from sqlalchemy.orm import Session

from kernel import Actor, InputError, PermissionDenied
from kernel.mail import send_mail
from kernel.outbox import enqueue
from modules.finance import printing
from modules.finance.models import Invoice, Proforma
from modules.finance.services.documents import note_history

TOPIC = "finance.document_mail"
# Its own permission, beside <document>.print: e-mailing sends the document out of the office.
MAIL = "finance.document.mail"
SUBJECT_MAX, MESSAGE_MAX = 200, 5000
# One address: something@domain.tld, no spaces or line breaks (a header cannot be smuggled in).
_ADDRESS = re.compile(r"[^@\s,;<>\"']+@[^@\s,;<>\"']+\.[^@\s,;<>\"'.]+")


class MailErrors(Exception):
    """What is wrong with the form, by field."""

    def __init__(self, errors: dict[str, InputError]) -> None:
        super().__init__(errors)
        self.errors = errors


def recipient_of(kernel: Any, session: Session, actor: Actor, doc: Proforma | Invoice) -> str:
    """The customer's e-mail: the partner's own address, else its first e-mail contact (read
    through the actor's scope: a contact the user may not see is not offered)."""
    from modules.base.models import Contact, Partner

    partner = session.scalar(kernel.scoped_select(actor, Partner).where(Partner.id == doc.partner_id))
    if partner is not None and partner.email:
        return str(partner.email)
    return session.scalar(kernel.scoped_select(actor, Contact).where(
        Contact.partner_id == doc.partner_id, Contact.kind == "email").order_by(Contact.id).limit(1)
        .with_only_columns(Contact.value)) or ""


def check(data: Any) -> tuple[str, str, str]:
    """(to, subject, message) from the form, or ``MailErrors`` naming each bad field."""
    to = str(data.get("to") or "").strip()
    subject = " ".join(str(data.get("subject") or "").split())
    message = str(data.get("message") or "").strip()
    errors: dict[str, InputError] = {}
    if not to:
        errors["to"] = InputError("This field is required")
    elif not _ADDRESS.fullmatch(to):
        errors["to"] = InputError("Not a valid e-mail address")
    if not subject:
        errors["subject"] = InputError("This field is required")
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = InputError("At most {n} characters", n=SUBJECT_MAX)
    if len(message) > MESSAGE_MAX:
        errors["message"] = InputError("At most {n} characters", n=MESSAGE_MAX)
    if errors:
        raise MailErrors(errors)
    return to, subject, message


def queue(kernel: Any, env: Environment, session: Session, actor: Actor, doc: Proforma | Invoice,
          opts: printing.PrintOptions, lang: str, *, to: str, subject: str, message: str) -> int:
    """Render the PDF and put the message in the outbox, in the caller's transaction. Needs
    ``finance.document.mail`` (the caller loaded ``doc`` for printing: its print permission and
    record scope)."""
    if not actor.can(MAIL):
        raise PermissionDenied(MAIL)
    pdf = printing.document_pdf(kernel, env, session, actor, doc, opts, lang)
    note_history(session, doc, {"E-mailed to": [None, to]})
    return enqueue(session, TOPIC, {
        "to": to, "subject": subject, "body": message, "filename": printing.file_name(kernel, doc, lang),
        "pdf": base64.b64encode(pdf).decode("ascii"), "id": uuid.uuid4().hex,
        "document": f"{doc.__tablename__}:{doc.id}",
    })


def send(kernel: Any, payload: dict[str, Any]) -> None:
    """The outbox job: one message, the PDF attached."""
    send_mail(kernel.config, payload["to"], payload["subject"], payload["body"] or payload["subject"],
              message_id=f"finance-{payload['id']}",
              attachments=[(payload["filename"], "application/pdf", base64.b64decode(payload["pdf"]))])
