"""Hooks of the marketing module. Each area (SMS, e-mail, inbound, letters and labels,
occasions, campaigns) keeps its declarations in its own files; this module only lists them."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from kernel import MenuItem, NumberSeries, Permission, RecordAction, Resource, Route, hookimpl
from modules.marketing import compose_hooks
from modules.marketing.campaigns import declarations as campaigns
from modules.marketing.letters import declarations as letters
from modules.marketing.mail import declarations as mail
from modules.marketing.occasions import declarations as occasions


@hookimpl
def register_resources() -> list[Resource]:
    from modules.marketing.resources import resources

    return resources()


@hookimpl
def register_menu_items() -> list[MenuItem]:
    from modules.marketing.menu_sms import sms_menu_items

    return [
        # No permission of its own: shown when any of its entries is (a sender, a letter clerk …).
        MenuItem("marketing.menu", "Messages", "", permission=None, sequence=40, icon="mail"),
        MenuItem("marketing.categories", "Send categories", "/marketing/category/", "marketing.category.view",
                 parent="marketing.menu", sequence=90),
        *sms_menu_items(),
        *compose_hooks.menu_items(),
        *letters.letter_menu_items(),
        *occasions.occasion_menu_items(),
        *mail.mail_menu_items(),
        *campaigns.menu_items(),
    ]


@hookimpl
def register_jobs() -> list[Any]:
    from modules.marketing.letters.prepared import jobs as letter_jobs
    from modules.marketing.sending.jobs import sms_jobs

    return [*sms_jobs(), *compose_hooks.jobs(), *letter_jobs(), *occasions.occasion_jobs(), *mail.mail_jobs(),
            *campaigns.jobs()]


@hookimpl
def register_routes() -> list[Route]:
    from modules.marketing.routes_gsm import routes as gsm_routes
    from modules.marketing.routes_sms import routes as sms_routes

    return [*sms_routes(), *gsm_routes(), *compose_hooks.routes(), *letters.letter_routes(), *occasions.occasion_routes(),
            *campaigns.routes()]


@hookimpl
def register_permissions() -> list[Permission]:
    from modules.marketing.menu_sms import sms_permissions

    return [*sms_permissions(), *compose_hooks.permissions(), *letters.letter_permissions(),
            *occasions.occasion_permissions(), *mail.mail_permissions()]


@hookimpl
def register_events() -> list[Any]:
    from modules.marketing.events import InboundReceived

    return [InboundReceived]


@hookimpl
def register_record_actions() -> list[RecordAction]:
    from modules.marketing.menu_sms import sms_record_actions

    return [*sms_record_actions(), *compose_hooks.record_actions(), *letters.letter_record_actions(),
            *mail.mail_record_actions()]


@hookimpl
def register_number_series() -> list[NumberSeries]:
    return [*letters.letter_series()]


@hookimpl
def template_slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    # Both areas add to some of the same slots (the partner list's actions): each one's markup.
    parts = [p for p in (compose_hooks.slot(slot, context, request), letters.letter_slot(slot, context, request),
                         mail.mail_slot(slot, context, request),
                         campaigns.slot(slot, context, request)) if p is not None]
    return Markup("").join(parts) if parts else None


@hookimpl
def handle_event(event: Any, session: Any, kernel: Any) -> None:
    letters.letter_event(event, session, kernel)
    campaigns.event(event, session, kernel)


@hookimpl
def register_marketing_sms_panels(kernel: Any) -> list[Any]:
    from modules.marketing.adapters import builtin_kinds, gsm

    return [*builtin_kinds(), gsm.kind(kernel)]


@hookimpl
def register_commands() -> list[Any]:
    from modules.marketing.gsm_commands import COMMANDS

    return list(COMMANDS)


@hookimpl
def register_marketing_placeholders() -> list[Any]:
    return [*compose_hooks.placeholders()]


@hookimpl
def register_reports() -> list[Any]:
    return [*compose_hooks.reports()]
