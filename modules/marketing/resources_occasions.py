"""The occasion rules resource (MKT-06): list, form and API from one declaration. The occasion
is a key ("birthday", "marriage", "nowruz", or an occasion of the kernel's table such as
"ghadir"): the table is filled per year and editable by the administrator, so the keys cannot be
this field's fixed choices; the form refuses an unknown one and lists the known ones."""

from __future__ import annotations

from typing import Any

from kernel import Field, InputError, Resource
from modules.marketing import audiences, placeholders
from modules.marketing.models import OccasionRule
from modules.marketing.occasions import matching

DAYS = 30  # a greeting a month early or late is no greeting


def check_occasion_rule(values: dict[str, Any], kernel: Any = None, session: Any = None, actor: Any = None,
                        **_: Any) -> dict[str, InputError] | None:
    errors: dict[str, InputError] = {}
    key = (values.get("occasion") or "").strip()
    if session is not None and key:
        known = matching.known_keys(session)
        if key not in known:
            listed = "، ".join(list(known)[:40])
            errors["occasion"] = InputError("Unknown occasion {key}; the occasions are: {keys}", key=key, keys=listed)
    days = values.get("days_before")
    if days is not None and not -DAYS <= days <= DAYS:
        errors["days_before"] = InputError("Between {low} and {high} days", low=-DAYS, high=DAYS)
    hour = values.get("send_hour")
    if hour is not None and not 0 <= hour <= 23:
        errors["send_hour"] = InputError("An hour between 0 and 23")
    if not (values.get("body") or "").strip() and not values.get("template_id"):
        errors["body"] = InputError("Write the message or choose a template")
    try:
        placeholders.check(values.get("body") or "", placeholders.declared(kernel))
    except InputError as exc:
        errors.setdefault("body", exc)
    if (values.get("query") or "").strip() and session is not None and actor is not None:
        try:  # the list's filters parsed now: a bad one is the form's error, not a failing daily job
            audience = audiences.normalise(kernel, session, {"kind": "filter", "query": values["query"]})
            audiences.partners_select(kernel, session, actor, audience)
        except audiences.AudienceError as exc:
            errors["query"] = exc
    return errors or None


OCCASION_RULE = Resource(
    name="marketing.occasion_rule", model=OccasionRule, label="Occasion message", label_plural="Occasion messages",
    columns=("name", "occasion", "days_before", "send_hour", "category_id", "auto_send", "active"),
    form=("name", "occasion", "days_before", "send_hour", "category_id", "template_id", "body", "query", "auto_send",
          "active"),
    search=("name", "occasion"), default_sort="name", title_field="name", global_search=False,
    validate=check_occasion_rule,
    fields={
        "name": Field(label="Name"),
        "occasion": Field(label="Occasion", kind="code",
                          help="birthday, marriage, nowruz, or an occasion's key from the calendar (ghadir, christmas)"),
        "days_before": Field(label="Days before the occasion", help="0: on the day; -2: two days after"),
        "send_hour": Field(label="Hour of the day", help="From this hour on (local time), e.g. 9"),
        "category_id": Field(label="Send category", ref="marketing.category"),
        "template_id": Field(label="Message template", ref="marketing.template"),
        "body": Field(label="Text", help="Placeholders: {name} {first_name} {last_name} {mobile} {today}"),
        "query": Field(label="Only the partners of this list filter",
                       help="The partner list's filters as in its address, e.g. f_group=3; empty: everyone"),
        "auto_send": Field(label="Send without approval"),
        "active": Field(label="Active"),
    },
)


def occasion_resources() -> list[Resource]:
    return [OCCASION_RULE]
