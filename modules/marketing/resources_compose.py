"""Resources of composing and sending (MKT-02): templates, sends and the message log.

Sends and messages are written only by the composer and the sending pipe (``compose``,
``dispatch``), so both are read-only lists: people read, filter, export and print them."""

from __future__ import annotations

from typing import Any

from kernel import Field, InputError, Resource
from modules.marketing import placeholders
from modules.marketing.models import DateRule, Message, Send, Template
from modules.marketing.models.message import MESSAGE_STATES
from modules.marketing.models.send import SEND_STATES
from modules.marketing.models.template import CHANNELS


def check_template(values: dict[str, Any], kernel: Any = None, **_: Any) -> dict[str, InputError] | None:
    """A template naming a placeholder no enabled module declares is refused on its body."""
    try:
        placeholders.check(values.get("body") or "", placeholders.declared(kernel))
    except InputError as exc:
        return {"body": exc}
    return None


TEMPLATE = Resource(
    name="marketing.template", model=Template, label="Message template", label_plural="Message templates",
    columns=("name", "channel", "category_id"), form=("name", "channel", "category_id", "subject", "body"),
    search=("name", "body"), filters=("channel", "category_id"), default_sort="name", title_field="name",
    global_search=False, validate=check_template,
    fields={
        "name": Field(label="Name"),
        "channel": Field(label="Channel", choices=CHANNELS),
        "category_id": Field(label="Send category", ref="marketing.category"),
        "subject": Field(label="Subject (e-mail)"),
        "body": Field(label="Text", help="Placeholders: {name} {first_name} {last_name} {mobile} {today}"),
    },
)

SEND = Resource(
    name="marketing.send", model=Send, label="Bulk send", label_plural="Sends", read_only=True,
    columns=("created_at", "audience_label", "category_id", "state", "total", "skipped", "scheduled_at"),
    search=("body", "audience_label"), filters=("state", "category_id"), default_sort="-id",
    title_field="audience_label", global_search=False,
    fields={
        "created_at": Field(label="Composed at", kind="datetime"),
        "audience_label": Field(label="Recipients"),
        "category_id": Field(label="Send category", ref="marketing.category"),
        "template_id": Field(label="Message template", ref="marketing.template"),
        "state": Field(label="State", choices=SEND_STATES),
        "scheduled_at": Field(label="Scheduled for", kind="datetime"),
        "body": Field(label="Text"),
        "total": Field(label="Recipients count"),
        "skipped": Field(label="Not sent"),
        # How the recipients were chosen, as the scheduler reads it; people read audience_label.
        "audience": Field(label="Recipients as chosen", internal=True),
        "panel_id": Field(label="Sent through panel"),
        "channel": Field(label="Channel", choices=CHANNELS),
        "cost": Field(label="Cost", kind="money"),
    },
)

MESSAGE = Resource(
    name="marketing.message", model=Message, label="Sent message", label_plural="Message log", read_only=True,
    columns=("created_at", "partner_id", "address", "category_id", "state", "parts", "skip_reason"),
    search=(), filters=("partner_id", "category_id", "state", "created_at", "send_id"), default_sort="-id",
    title_field="address", global_search=False,
    fields={
        "created_at": Field(label="Written at", kind="datetime"),
        "partner_id": Field(label="Partner", ref="base.partner"),
        "address": Field(label="Mobile", kind="phone"),
        "category_id": Field(label="Send category", ref="marketing.category"),
        "send_id": Field(label="Bulk send", ref="marketing.send"),
        "state": Field(label="State", choices=MESSAGE_STATES),
        "parts": Field(label="Parts"),
        "skip_reason": Field(label="Why not sent"),
        "body": Field(label="Text"),
        "cost": Field(label="Cost", kind="money"),
        "panel_id": Field(label="Sent through panel"),
        "provider_id": Field(label="Panel's message id"),
        "sent_at": Field(label="Handed to the panel at"),
        "delivered_at": Field(label="Delivery reported at"),
    },
)


def check_rule(values: dict[str, Any], kernel: Any = None, **_: Any) -> dict[str, InputError] | None:
    errors: dict[str, InputError] = {}
    sources = {d.key: d for d in kernel.date_sources} if kernel is not None else {}
    if values.get("source") and values["source"] not in sources:
        listed = "، ".join(f"{k} ({kernel.t('fa', d.label)})" for k, d in sources.items())
        errors["source"] = InputError("No enabled module declares this date; the dates are: {dates}", dates=listed)
    if not (values.get("body") or "").strip() and not values.get("template_id"):
        errors["body"] = InputError("Write the message or choose a template")
    days = values.get("days_before")
    if days is not None and not 0 <= days <= 366:
        errors["days_before"] = InputError("Between 0 and 366 days")
    try:
        placeholders.check(values.get("body") or "", placeholders.declared(kernel))
    except InputError as exc:
        errors.setdefault("body", exc)
    return errors or None


# Sends relative to a date. The dates are the date sources of the enabled modules, offered by
# their names (the kernel collects them after the resources: ``choices_from``); a rule whose
# module was disabled later keeps its key, and the check below says which dates there are.
DATE_RULE = Resource(
    name="marketing.date_rule", model=DateRule, label="Send before a date", label_plural="Sends before a date",
    columns=("name", "source", "days_before", "category_id", "active"),
    form=("name", "source", "days_before", "category_id", "template_id", "body", "active"),
    search=("name",), default_sort="name", title_field="name", global_search=False, validate=check_rule,
    fields={
        "name": Field(label="Name"),
        "source": Field(label="Date to send before", choices_from=lambda kernel: [(d.key, d.label) for d in kernel.date_sources]),
        "days_before": Field(label="Days before the date", help="0: on the day itself"),
        "category_id": Field(label="Send category", ref="marketing.category"),
        "template_id": Field(label="Message template", ref="marketing.template"),
        "body": Field(label="Text"),
        "active": Field(label="Active"),
    },
)


def compose_resources() -> list[Resource]:
    return [TEMPLATE, SEND, MESSAGE, DATE_RULE]
