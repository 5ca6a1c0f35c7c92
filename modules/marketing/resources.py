"""Marketing's resources: the send categories here; each area adds its own beside it."""

from __future__ import annotations

from kernel import Field, Resource
from modules.marketing.models import Category

CATEGORY = Resource(
    name="marketing.category", model=Category, label="Send category", label_plural="Send categories",
    columns=("name", "advertising", "sequence"), form=("name", "advertising", "sequence"),
    search=("name",), default_sort="sequence", title_field="name", shared=True, global_search=False,
    fields={
        "name": Field(label="Name"),
        "advertising": Field(label="Advertising (honours opt-outs)"),
        "sequence": Field(label="Shown in the order of"),
    },
)


def resources() -> list[Resource]:
    from modules.marketing.resources_campaigns import campaign_resources
    from modules.marketing.resources_compose import compose_resources
    from modules.marketing.resources_letters import letter_resources
    from modules.marketing.resources_occasions import occasion_resources
    from modules.marketing.resources_sms import sms_resources

    return [CATEGORY, *sms_resources(), *compose_resources(), *letter_resources(), *occasion_resources(),
            *campaign_resources()]
