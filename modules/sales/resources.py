"""What leads, opportunities, pipelines, stages and lost reasons look like in lists, forms,
filters, exports and the API. Stage, outcome and approval of an opportunity are not typed in
its form: they move through the board and its actions (``services.moves``), where the rules are."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kernel import Field, InputError, Resource, Section
from modules.sales.models import Lead, LostReason, Opportunity, Pipeline, Stage
from modules.sales.models.lead import NEED_LEVELS, SOURCES, STATUSES
from modules.sales.models.pipeline import CUSTOMER_KINDS, OUTCOMES


def _percent(value: int) -> None:
    if not 0 <= int(value) <= 100:
        raise InputError("Enter a percentage from 0 to 100")


def _not_negative(value: int) -> None:
    if int(value) < 0:
        raise InputError("The amount cannot be negative")


def _check_lead(values: Mapping[str, Any], **_: Any) -> dict[str, InputError] | None:
    if not (values.get("partner_id") or values.get("contact_name") or values.get("company_name")):
        return {"contact_name": InputError("Choose a partner, or enter the contact's or the company's name")}
    return None


def _complete_opportunity(opp: Any, session: Any = None, **_: Any) -> None:
    """A new opportunity takes its customer's pipeline and the first open stage, at the column's end."""
    from modules.sales.services.opening import place_new

    place_new(session, opp)


LEAD = Resource(
    name="sales.lead", model=Lead, label="Lead", label_plural="Leads",
    columns=("title", "partner_id", "contact_name", "mobile", "source", "need_level", "status", "created_at"),
    sections=(
        Section("", ("title", "source", "need_level", "status")),
        Section("Contact details", ("partner_id", "contact_name", "company_name", "mobile", "email")),
        Section("Needs", ("needs",)),
    ),
    search=("title", "contact_name", "company_name", "mobile", "email"),
    filters=("source", "need_level", "status", "owner_id", "partner_id", "created_at"),
    validate=_check_lead,
    fields={
        "title": Field(label="Title"),
        "partner_id": Field(label="Partner", help="Leave empty for someone not yet among the partners"),
        "contact_name": Field(label="Contact's name"),
        "company_name": Field(label="Company"),
        "mobile": Field(kind="phone", label="Mobile"),
        "email": Field(label="E-mail"),
        "source": Field(choices=SOURCES, label="Source"),
        "need_level": Field(choices=NEED_LEVELS, label="Need level"),
        "status": Field(choices=STATUSES, label="Status"),
        "needs": Field(label="Needs"),
        "opportunity_id": Field(label="Opportunity", ref="sales.opportunity", readonly=True),
        "qualified_at": Field(label="Qualified at", readonly=True),
        "last_activity_at": Field(label="Last activity", readonly=True),
    },
    title_field="title", default_sort="-id", icon="list",
)

OPPORTUNITY = Resource(
    name="sales.opportunity", model=Opportunity, label="Opportunity", label_plural="Opportunities",
    columns=("title", "partner_id", "stage_id", "expected_value", "expected_close", "probability", "owner_id"),
    # The form is what people type; stage, outcome and approval are on the record page's own panel
    # (modules.sales.slots) and move through the board's rules only.
    sections=(
        Section("", ("title", "partner_id", "pipeline_id", "expected_value", "expected_close", "probability")),
        Section("Needs", ("needs",)),
    ),
    search=("title", "needs"),
    filters=("pipeline_id", "stage_id", "outcome", "owner_id", "partner_id", "expected_close", "lost_reason_id"),
    complete=_complete_opportunity, approvable=True,
    fields={
        "title": Field(label="Title"),
        "partner_id": Field(label="Customer"),
        "lead_id": Field(label="Lead", ref="sales.lead", readonly=True),
        "pipeline_id": Field(label="Pipeline", required=False,
                             help="Leave empty: the pipeline of the customer's type"),
        "stage_id": Field(label="Stage", readonly=True),
        "position": Field(label="Position on the board", internal=True),
        "expected_value": Field(kind="money", label="Expected value", validate=_not_negative),
        "expected_close": Field(label="Expected close date"),
        "probability": Field(label="Probability %", validate=_percent),
        "needs": Field(label="Needs"),
        "outcome": Field(choices=OUTCOMES, label="Outcome", readonly=True),
        "closed_at": Field(label="Closed at", readonly=True),
        "lost_reason_id": Field(label="Lost because", readonly=True),
        "close_note": Field(label="Closing note", readonly=True),
        "approved_at": Field(label="Approved at", readonly=True),
        "approved_by_id": Field(label="Approved by", readonly=True),
        "approval_note": Field(label="Manager's note", readonly=True),
        "last_activity_at": Field(label="Last activity", readonly=True),
    },
    title_field="title", default_sort="-id", icon="list",
)

PIPELINE = Resource(
    name="sales.pipeline", model=Pipeline, label="Pipeline", label_plural="Pipelines",
    columns=("name", "customer_kind", "sequence"), form=("name", "customer_kind", "sequence"),
    search=("name",), shared=True,
    fields={"name": Field(label="Name"),
            "customer_kind": Field(choices=CUSTOMER_KINDS, label="For customers",
                                   help="Leave empty for every customer"),
            "sequence": Field(label="Order")},
    title_field="name", default_sort="sequence",
)

STAGE = Resource(
    name="sales.stage", model=Stage, label="Stage", label_plural="Stages",
    columns=("pipeline_id", "name", "sequence", "probability", "outcome", "needs_approval"),
    form=("pipeline_id", "name", "sequence", "probability", "outcome", "needs_approval"),
    search=("name",), filters=("pipeline_id", "outcome"), shared=True,
    fields={"pipeline_id": Field(label="Pipeline"), "name": Field(label="Name"), "sequence": Field(label="Order"),
            "probability": Field(label="Probability %", validate=_percent),
            "outcome": Field(choices=OUTCOMES, label="Outcome"),
            "needs_approval": Field(label="Needs a manager's approval to enter")},
    title_field="name", default_sort="sequence",
)

LOST_REASON = Resource(
    name="sales.lost_reason", model=LostReason, label="Lost reason", label_plural="Lost reasons",
    columns=("name", "sequence"), form=("name", "sequence"), search=("name",), shared=True,
    fields={"name": Field(label="Reason"), "sequence": Field(label="Order")},
    title_field="name", default_sort="sequence",
)


def resources() -> list[Resource]:
    from modules.sales.order_resource import ORDER

    return [LEAD, OPPORTUNITY, PIPELINE, STAGE, LOST_REASON, ORDER]
