"""Writing letters into the register: one from the form (the resource), or a group letter — one
template to many addressees, each letter with its own number — and every letter on its
partner's timeline as a communication of kind "letter" (BASE-10)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy.orm import Session

from kernel import Actor, InputError, RecordChanged
from kernel.records import BulkErrors, create_records, get_record
from kernel.timezone import to_utc
from modules.base.models import Communication
from modules.marketing.letters import numbering
from modules.marketing.letters.addressing import Recipient
from modules.marketing.models import Letter, LetterTemplate

# A letter goes on the timeline at the start of its office day (Tehran time).
_OFFICE_HOUR = dt.time(9, 0)


def log_communication(kernel: Any, session: Session, letter_id: int) -> None:
    """The letter as an outgoing communication of its partner, linked back to it."""
    letter = session.get(Letter, letter_id)
    if letter is None:
        return
    started = to_utc(dt.datetime.combine(letter.date, _OFFICE_HOUR), kernel.config.timezone)
    session.add(Communication(kind="letter", direction="out", subject=letter.subject[:200], started_at=started,
                              partner_id=letter.partner_id, contact_id=letter.contact_id,
                              link_resource="marketing.letter", link_id=letter.id, owner_id=letter.owner_id,
                              result=kernel.t("fa", "Letter number {number}",
                                                     number=numbering.Shown(letter.number))))


def on_event(event: Any, session: Session, kernel: Any) -> None:
    """``handle_event``: every new letter, from any path, is logged on the timeline."""
    if isinstance(event, RecordChanged) and event.resource == "marketing.letter" and event.action == "create":
        log_communication(kernel, session, event.record_id)


class GroupErrors(Exception):
    """A group letter refused: ``errors`` by field of the group letter's form."""

    def __init__(self, errors: dict[str, InputError]) -> None:
        super().__init__(errors)
        self.errors = errors


def write_group(kernel: Any, session: Session, actor: Actor, template_id: int, recipients: list[Recipient],
                on: dt.date, first_number: int | None = None) -> tuple[str, list[Letter]]:
    """One letter per addressee from the template, all in the caller's transaction (all or none),
    under one batch key; numbered by the series, or from ``first_number`` up when numbers are
    typed by hand."""
    res = kernel.resources["marketing.letter"]
    template = get_record(kernel, session, actor, kernel.resources["marketing.letter_template"], template_id)
    assert isinstance(template, LetterTemplate)
    if not recipients:
        raise GroupErrors({"__all__": InputError("Choose at least one addressee")})
    manual = numbering.mode(kernel, session) == "manual"
    if manual and first_number is None:
        raise GroupErrors({"first_number": InputError("Type the first letter's number")})
    batch = secrets.token_hex(8)
    rows = [{"date": on, "partner_id": r.partner_id, "contact_id": r.contact_id, "subject": template.subject,
             "body": template.body, "category_id": template.category_id, "template_id": template.id, "batch": batch,
             "number": str(first_number + i) if manual and first_number is not None else None}
            for i, r in enumerate(recipients)]
    try:
        # One flush for them all (the checks, history and RecordChanged of each, as one by one).
        letters = create_records(kernel, session, actor, res, rows)
    except BulkErrors as exc:
        # A typed number already used (or any other refusal) names the group's field.
        first = exc.errors[min(exc.errors)]
        if "number" in first:
            raise GroupErrors({"first_number": first["number"]}) from exc
        raise GroupErrors({"__all__": next(iter(first.values()))}) from exc
    except InputError as exc:
        raise GroupErrors({"__all__": exc}) from exc
    return batch, letters
