"""What occasion messages declare to the kernel (MKT-06): routes, the approve permission, menu
entries and the daily job. ``hooks.py`` delegates here, one line each."""

from __future__ import annotations

from typing import Any

from kernel import MenuItem, Permission, Route

APPROVE = "marketing.occasion.approve"


def occasion_routes() -> list[Route]:
    from modules.marketing.occasions.routes import routes

    return routes()


def occasion_permissions() -> list[Permission]:
    return [Permission(APPROVE, "Approve occasion messages")]


def occasion_menu_items() -> list[MenuItem]:
    return [
        MenuItem("marketing.occasion_rules", "Occasion messages", "/marketing/occasion_rule/",
                 "marketing.occasion_rule.view", parent="marketing.menu", sequence=60),
        MenuItem("marketing.occasions_calendar", "Occasions calendar", "/marketing/occasions/calendar",
                 "marketing.occasion_rule.view", parent="marketing.menu", sequence=61),
        MenuItem("marketing.occasions_pending", "Occasion batches to approve", "/marketing/occasions/pending",
                 "marketing.send.view", parent="marketing.menu", sequence=62),
    ]


def occasion_jobs() -> list[Any]:
    from kernel.jobs import Job
    from modules.marketing.occasions.job import OCCASIONS_JOB, run_occasions

    # Every 5 minutes: a rule's hour is met within minutes; a run that finds its batches made
    # reads one row per rule.
    return [Job(OCCASIONS_JOB, run_occasions, every=300)]
