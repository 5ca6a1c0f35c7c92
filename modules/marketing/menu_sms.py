"""Menu entries, permissions and record actions of the SMS pipe (listed by hooks.py)."""

from __future__ import annotations

from kernel import MenuItem, Permission, RecordAction


def sms_menu_items() -> list[MenuItem]:
    return [
        MenuItem("marketing.inbox", "Inbox", "/marketing/inbox", "marketing.inbound.view",
                 parent="marketing.menu", sequence=20),
        MenuItem("marketing.panels", "SMS panels", "/marketing/panel/", "marketing.panel.view",
                 parent="marketing.menu", sequence=95),
    ]


def sms_permissions() -> list[Permission]:
    return [Permission("marketing.inbound.assign", "Assign received messages to partners")]


def sms_record_actions() -> list[RecordAction]:
    return [RecordAction("marketing.panel_credit", "Check: credit", "/marketing/panel/{id}/credit",
                         permission="marketing.panel.edit", resources=("marketing.panel",), sequence=10),
            RecordAction("marketing.panel_keys", "Key and webhook", "/marketing/panel/{id}/keys",
                         permission="marketing.panel.edit", resources=("marketing.panel",), sequence=11),
            RecordAction("marketing.panel_modem", "Check: modem", "/marketing/panel/{id}/modem",
                         permission="marketing.panel.edit", resources=("marketing.panel",), sequence=12)]
