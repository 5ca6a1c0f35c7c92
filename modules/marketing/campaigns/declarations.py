"""What campaigns declare to the kernel through marketing's hooks (``hooks.py`` delegates here):
menu entry, routes, the steps' periodic job, slots and the inbound-SMS reaction."""

from __future__ import annotations

from typing import Any

from kernel import MenuItem, Route


def menu_items() -> list[MenuItem]:
    return [MenuItem("marketing.campaigns", "Campaigns", "/marketing/campaign/", "marketing.campaign.view",
                     parent="marketing.menu", sequence=5)]


def routes() -> list[Route]:
    from modules.marketing.campaigns.routes import routes as campaign_routes

    return campaign_routes()


def jobs() -> list[Any]:
    from kernel.jobs import Job
    from modules.marketing.campaigns.steps import STEPS_JOB, run_due

    return [Job(STEPS_JOB, run_due, every=300)]


def slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    from modules.marketing.campaigns import slots

    return slots.render(slot, context, request)


def event(event: Any, session: Any, kernel: Any) -> None:
    from modules.marketing.campaigns.responses import on_inbound

    on_inbound(event, session, kernel)
