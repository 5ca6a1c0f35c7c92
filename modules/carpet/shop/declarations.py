"""What the online-shop link adds to the carpet module's hooks: its permission, menu entry,
page routes, job and the WooCommerce kind."""

from __future__ import annotations

from typing import Any

from kernel import MenuItem, Permission

MANAGE = "carpet.shop.manage"
JOB_EVERY = 60  # the job wakes each minute; the link's own interval decides whether it syncs


def permissions() -> list[Permission]:
    return [Permission(MANAGE, "Manage the online-shop link")]


def menu_items() -> list[MenuItem]:
    return [MenuItem("carpet.shop", "Online shop", "/carpet/shop", MANAGE, icon="gear", sequence=80)]


def jobs() -> list[Any]:
    from kernel.jobs import Job
    from modules.carpet.shop.sync import run_due

    return [Job("carpet.shop_sync", run_due, every=JOB_EVERY, own_transactions=True)]


def shop_kinds() -> list[Any]:
    from modules.carpet.shop import woocommerce

    return [woocommerce.kind()]
