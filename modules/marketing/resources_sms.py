"""Resources of the SMS pipe: the panels (administrators only: the key and password are set on
their own page and never shown back, only their last four characters) and the inbound log."""

from __future__ import annotations

import secrets
from typing import Any

from kernel import Field, Resource
from modules.marketing.models import Inbound, Panel
from modules.marketing.models.inbound import INBOUND_STATES


def _complete(record: Any, **_: Any) -> None:
    # The webhook URL's secret, made once: an administrator copies the URL into the panel.
    if not record.webhook_token:
        record.webhook_token = secrets.token_urlsafe(24)


def _kinds() -> tuple[tuple[str, str], ...]:
    # The kinds this package ships; a partner's package adds its own through the hook (the
    # field then accepts its key: choices are only the drop-down's offer).
    return (("kavenegar", "Kavenegar"), ("smsir", "SMS.ir"), ("ippanel", "IPPanel (FarazSMS)"),
            ("melipayamak", "Melipayamak"), ("gsm", "GSM modem"))


PANEL = Resource(
    name="marketing.panel", model=Panel, label="SMS panel", label_plural="SMS panels",
    columns=("name", "kind", "sender", "active", "is_default"),
    form=("name", "kind", "base_url", "username", "sender", "active", "is_default", "per_second", "batch_size"),
    search=("name",), default_sort="name", title_field="name", shared=True, global_search=False,
    complete=_complete,
    fields={
        "name": Field(label="Name"),
        "kind": Field(label="Panel", kind="choice", choices=_kinds()),
        "base_url": Field(label="API address", help="The panel's documented API root, e.g. https://api.kavenegar.com"),
        "username": Field(label="User name"),
        "sender": Field(label="Sender line"),
        "active": Field(label="Active"),
        "is_default": Field(label="Default panel"),
        "per_second": Field(label="Messages per second"),
        "batch_size": Field(label="Messages per call"),
        "api_key": Field(label="API key"),
        "webhook_token": Field(label="Webhook secret"),
    },
)

INBOUND = Resource(
    name="marketing.inbound", model=Inbound, label="Received message", label_plural="Received messages",
    columns=("received_at", "address", "body", "partner_id", "state"),
    form=("received_at", "address", "body", "partner_id", "state"),
    filters=("state", "partner_id"), default_sort="-received_at", title_field="body", read_only=True,
    global_search=False,
    fields={
        "received_at": Field(label="Received at"),
        "address": Field(label="Sender"),
        "body": Field(label="Message"),
        "partner_id": Field(label="Partner"),
        "state": Field(label="State", kind="choice", choices=INBOUND_STATES),
        "channel": Field(label="Received through"),
        "source": Field(label="Received on (panel or mailbox)"),
        "provider_id": Field(label="The panel's message id"),
        "to_line": Field(label="Our line"),
    },
)


def sms_resources() -> list[Resource]:
    return [PANEL, INBOUND]
