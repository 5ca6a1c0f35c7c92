"""The privacy rule of the clinic (issue 16): a patient's diagnoses (diseases and allergies) and
medical documents are seen only by users holding ``medical.records`` ("See medical documents and
diagnoses").

One ``record_filter`` answer does it: for a user without the permission it is ``false()`` for
:class:`PatientDisease` and :class:`Document`, whatever the resource permissions of their roles.
The kernel applies record filters in every path that reads records — lists and their counts,
xlsx/csv/PDF exports, the JSON API, the top-bar search, record pages and their history, the
attachments' downloads (a file is served exactly when its record is) — and this module's own
pages (the patient file panel, the report) read through ``kernel.scoped_select``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import false

from kernel import Permission

RECORDS = "medical.records"


def permissions() -> list[Permission]:
    return [Permission(RECORDS, "See medical documents and diagnoses")]


def may_see_records(actor: Any) -> bool:
    return bool(actor is not None and actor.can(RECORDS))


def record_filter(actor: Any, model: type) -> Any:
    from modules.medical.models import Document, PatientDisease

    if model in (PatientDisease, Document) and not may_see_records(actor):
        return false()
    return None
