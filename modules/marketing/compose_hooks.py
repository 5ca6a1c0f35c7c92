"""What composing and sending declares to the kernel (MKT-02, MKT-04): routes, permission,
menu entries, record actions, slots, jobs and placeholders. ``hooks.py`` delegates here."""

from __future__ import annotations

from typing import Any

from kernel import MenuItem, Permission, RecordAction

SEND_SMS = "marketing.sms.send"


def routes() -> list[Any]:
    from modules.marketing.routes import compose, send_page

    return [*compose.routes(), *send_page.routes()]


def permissions() -> list[Permission]:
    return [Permission(SEND_SMS, "Send SMS")]


def menu_items() -> list[MenuItem]:
    return [
        MenuItem("marketing.sms_new", "New SMS", "/marketing/sms/new", SEND_SMS, parent="marketing.menu", sequence=10),
        MenuItem("marketing.sends", "Sends", "/marketing/send/", "marketing.send.view", parent="marketing.menu",
                 sequence=20),
        MenuItem("marketing.messages", "Message log", "/marketing/message/", "marketing.message.view",
                 parent="marketing.menu", sequence=30),
        MenuItem("marketing.templates", "Message templates", "/marketing/template/", "marketing.template.view",
                 parent="marketing.menu", sequence=40),
        MenuItem("marketing.date_rules", "Sends before a date", "/marketing/date_rule/", "marketing.date_rule.view",
                 parent="marketing.menu", sequence=50),
    ]


def record_actions() -> list[RecordAction]:
    return [RecordAction("marketing.sms", "Send SMS", "/marketing/sms/new?partner_id={id}", permission=SEND_SMS,
                         resources=("base.partner",), sequence=60)]


def slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    from modules.marketing import slots_compose

    return slots_compose.render(slot, context, request)


def jobs() -> list[Any]:
    from kernel.jobs import Job
    from modules.marketing.schedules import SCHEDULED_JOB, run_scheduled

    return [Job(SCHEDULED_JOB, run_scheduled, every=60)]


def placeholders() -> list[Any]:
    from modules.marketing.placeholders import builtin

    return builtin()



def reports() -> list[Any]:
    from modules.marketing.report_categories import REPORT

    return [REPORT]
