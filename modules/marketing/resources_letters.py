"""The letter register and the letter templates as resources (MKT-05)."""

from __future__ import annotations

from kernel import Field, Resource
from modules.marketing.letters import numbering
from modules.marketing.letters.merge import check_merge_fields
from modules.marketing.models import Letter, LetterTemplate

LETTER_TEMPLATE = Resource(
    name="marketing.letter_template", model=LetterTemplate, label="Letter template", label_plural="Letter templates",
    columns=("name", "subject", "category_id"), form=("name", "category_id", "subject", "body"),
    search=("name", "subject"), title_field="name", default_sort="name", global_search=False,
    fields={
        "name": Field(label="Name"),
        "category_id": Field(label="Send category"),
        "subject": Field(label="Subject", validate=check_merge_fields),
        "body": Field(label="Text of the letter", validate=check_merge_fields),
    },
)

LETTER = Resource(
    name="marketing.letter", model=Letter, label="Letter", label_plural="Letter register",
    columns=("number", "date", "partner_id", "contact_id", "subject", "category_id"),
    form=("number", "date", "partner_id", "contact_id", "subject", "body", "category_id", "template_id"),
    search=("number", "subject"), filters=("date", "partner_id", "category_id"),
    title_field="number", default_sort="-date", global_search=False,
    validate=numbering.check, complete=numbering.complete,
    fields={
        "number": Field(kind="code", label="Letter number", required=False,
                        help="Empty when numbers are automatic; each number once a Jalali year"),
        "year": Field(kind="year", label="Year of the letter", readonly=True),
        "date": Field(label="Letter date", starts_today=True),
        "partner_id": Field(label="Addressed to"),
        "contact_id": Field(label="Attention of (a person at the company)",
                            ref_filter={"kind": "person", "employed_by": "=partner_id"}),
        "subject": Field(label="Subject", validate=check_merge_fields),
        "body": Field(label="Text of the letter", validate=check_merge_fields),
        "category_id": Field(label="Send category"),
        "template_id": Field(label="Letter template"),
        "batch": Field(label="Group letter", readonly=True, internal=True),
    },
)


def letter_resources() -> list[Resource]:
    return [LETTER_TEMPLATE, LETTER]
