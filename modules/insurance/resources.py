"""What policies, policy types and insurers look like in lists, forms, filters, exports and the
API. A policy's state and the policy it renews are not typed: renewal and the daily scan move
them (``services``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from kernel import Field, Filter, InputError, Resource, Section
from modules.base.models import Partner
from modules.base.resources import jalali_month_filter
from modules.insurance.models import Insurer, Policy, PolicyType
from modules.insurance.models.policy import STATES


def _positive(value: int) -> None:
    if int(value) <= 0:
        raise InputError("The premium must be more than zero")


def check_policy(values: Mapping[str, Any], record: Any = None, session: Any = None, **_: Any) -> dict[str, InputError]:
    """End after start; the insured is a person; a renewal renews a policy that may be renewed."""
    errors: dict[str, InputError] = {}
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if starts is not None and ends is not None and ends <= starts:
        errors["ends_on"] = InputError("The policy must end after it starts")
    insured = values.get("insured_id")
    if insured is not None and session is not None:
        kind = session.scalar(select(Partner.kind).where(Partner.id == insured))
        if kind is not None and kind != "person":
            errors["insured_id"] = InputError("The insured must be a person, not a company")
    renews = values.get("renews_id")
    if renews is not None and session is not None and (record is None or record.renews_id != renews):
        from modules.insurance.services.renewal import renewal_refusal

        problem = renewal_refusal(session, int(renews))
        if problem is not None:
            errors["renews_id"] = problem
    return errors


POLICY = Resource(
    name="insurance.policy", model=Policy, label="Insurance policy", label_plural="Insurance policies",
    columns=("number", "type_id", "insurer_id", "insured_id", "starts_on", "ends_on", "premium", "state", "owner_id"),
    sections=(
        Section("", ("number", "type_id", "insurer_id", "starts_on", "ends_on", "premium")),
        Section("Persons", ("insured_id", "holder_id")),
        Section("Notes", ("note", "renews_id")),
    ),
    search=("number", "note"),
    filters=("type_id", "insurer_id", "owner_id", "state", "ends_on", "insured_id"),
    # base's Jalali-month condition ("۱۴۰۵/۰۹"), on the end date.
    custom_filters=(Filter("ends_month", "Ends in month", jalali_month_filter(Policy.ends_on), kind="month"),),
    title_field="number",
    default_sort="-id",
    validate=check_policy,
    icon="file",
    fields={
        "number": Field(label="Policy number", kind="code"),
        "type_id": Field(label="Policy type"),
        "insurer_id": Field(label="Insurer"),
        "insured_id": Field(label="Insured", ref_filter={"kind": "person"}),
        "holder_id": Field(label="Policy holder", required=False,
                           help="Who pays, when not the insured person"),
        "starts_on": Field(label="Starts on", starts_today=True),
        "ends_on": Field(label="Ends on"),
        "premium": Field(kind="money", label="Premium", validate=_positive),
        "state": Field(label="State", choices=STATES, readonly=True),
        "renews_id": Field(label="Renews", ref="insurance.policy", internal=True, required=False),
        "invoice_id": Field(label="Invoice", ref="finance.invoice", readonly=True),
        "owner_id": Field(label="Agent", readonly=True),
        "note": Field(label="Note"),
    },
)

POLICY_TYPE = Resource(
    name="insurance.policy_type", model=PolicyType, label="Policy type", label_plural="Policy types",
    columns=("name", "sequence"), form=("name", "sequence"), search=("name",), title_field="name",
    default_sort="sequence", shared=True,
    fields={"name": Field(label="Name"), "sequence": Field(label="Order")},
)

INSURER = Resource(
    name="insurance.insurer", model=Insurer, label="Insurer", label_plural="Insurers",
    columns=("name", "partner_id"), form=("name", "partner_id"), search=("name",), title_field="name",
    default_sort="name", shared=True,
    fields={"name": Field(label="Name"),
            "partner_id": Field(label="Company among the partners", ref_filter={"kind": "company"},
                                required=False)},
)


def resources() -> list[Resource]:
    return [POLICY, POLICY_TYPE, INSURER]
