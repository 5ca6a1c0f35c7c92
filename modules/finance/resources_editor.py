"""The list of reasons to cancel a proforma (FIN-05), kept by the administrator."""

from __future__ import annotations

from kernel import Field, Resource
from modules.finance.models import CancelReason

CANCEL_REASON = Resource(
    name="finance.cancel_reason", model=CancelReason, label="Reason for cancelling",
    label_plural="Reasons for cancelling", columns=("name", "sequence", "active"),
    form=("name", "sequence", "active"), search=("name",), filters=("active",),
    shared=True, global_search=False,
    fields={"name": Field(label="Reason"), "sequence": Field(label="Order"), "active": Field(label="Active")},
    title_field="name", default_sort="sequence",
)


def editor_resources() -> list[Resource]:
    return [CANCEL_REASON]
