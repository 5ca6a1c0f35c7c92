"""The kernel's own hook implementations: record scopes own/team and the admin pages' menu."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kernel.actor import Actor
from kernel.declarations import MenuItem, Permission
from kernel.plugins import hookimpl


@hookimpl
def record_filter(actor: Actor, model: type, action: str) -> Any:
    """Own / team scope on every model that has an owner (KER-06)."""
    from kernel.models import User

    owner = getattr(model, "owner_id", None)
    if owner is None or actor.is_admin or actor.record_scope == "all":
        return None
    if actor.record_scope == "team" and actor.team_id is not None:
        return owner.in_(select(User.id).where(User.team_id == actor.team_id))
    return owner == actor.user_id


@hookimpl
def register_permissions() -> list[Permission]:
    return [
        Permission("kernel.admin.users", "Manage users and roles"),
        Permission("kernel.trash.view", "Recycle bin"),
    ]


@hookimpl
def register_menu_items() -> list[MenuItem]:
    return [
        MenuItem("kernel.dashboard", "Dashboard", "/", permission=None, sequence=0, icon="home"),
        MenuItem("kernel.admin", "Administration", "", permission="kernel.admin.users", sequence=900, icon="gear"),
        MenuItem("kernel.admin.users", "Users", "/admin/users", "kernel.admin.users", parent="kernel.admin"),
        MenuItem("kernel.admin.roles", "Roles", "/admin/roles", "kernel.admin.users", parent="kernel.admin"),
        MenuItem("kernel.admin.logins", "Login audit", "/admin/logins", "kernel.admin.users", parent="kernel.admin"),
        MenuItem("kernel.admin.settings", "Company settings", "/admin/settings", "kernel.admin.users",
                 parent="kernel.admin"),
        MenuItem("kernel.trash", "Recycle bin", "/trash", "kernel.trash.view", parent="kernel.admin"),
    ]
