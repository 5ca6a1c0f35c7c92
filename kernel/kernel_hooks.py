"""The kernel's own hook implementations: record scopes own/team and the admin pages' menu."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from kernel.actor import Actor
from kernel.declarations import MenuItem, Permission, RecordAction, Shortcut
from kernel.plugins import hookimpl
from kernel.resources import SHARED_ATTR
from kernel.scope_follows import OWNER_COLUMNS_ATTR, mine


@hookimpl
def record_filter(actor: Actor, model: type, action: str) -> Any:
    """Own / team scope on every model that has an owner (KER-06).

    A model may name more user columns that make a row "mine" (``__owner_columns__ =
    ("owner_id", "assignee_id")``): a task is its creator's and its assignee's.
    """
    from kernel.models import User, UserTeam

    owner = getattr(model, "owner_id", None)
    if owner is None or actor.is_admin or actor.record_scope == "all" or getattr(model, SHARED_ATTR, False):
        return None
    columns = [getattr(model, name) for name in getattr(model, OWNER_COLUMNS_ATTR, ("owner_id",))]
    teams = actor.team_ids or ((actor.team_id,) if actor.team_id is not None else ())
    if actor.record_scope == "team" and actor.team_user_ids:
        # The members of the actor's teams and the teams under them (kernel.teams), as a literal list.
        return or_(*(col.in_(actor.team_user_ids) for col in columns))
    if actor.record_scope == "team" and teams:
        # An actor made by hand without its members: any of its teams, by main team or by membership.
        team = select(User.id).where(or_(User.team_id.in_(teams),
                                         User.id.in_(select(UserTeam.user_id).where(UserTeam.team_id.in_(teams)))))
        return or_(*(col.in_(team) for col in columns))
    return mine(actor, model)


@hookimpl
def register_permissions() -> list[Permission]:
    return [
        Permission("kernel.admin.users", "Manage users and roles"),
        Permission("kernel.trash.view", "Recycle bin"),
        Permission("kernel.admin.jobs", "Jobs and their failures"),
        Permission("kernel.admin.numbering", "Document number series"),
        Permission("kernel.snippet.share", "Share snippets with everyone"),
    ]


@hookimpl
def register_record_actions() -> list[RecordAction]:
    """Every record's menu has its history and attachments (sections of the record page)."""
    return [
        RecordAction("kernel.history", "History", "{url}{id}#history", with_field="id", sequence=900),
        RecordAction("kernel.attachments", "Attachments", "{url}{id}#attachments", with_field="id", sequence=910),
    ]


@hookimpl
def register_shortcuts() -> list[Shortcut]:
    """The kernel's own keys (app.js, snippets.js, record_menu.js handle them)."""
    return [
        Shortcut("kernel.search", "/", "Search", sequence=10),
        Shortcut("kernel.keymap", "?", "This keyboard map", sequence=20),
        Shortcut("kernel.new", "Alt+N", "New record (on a list)", sequence=30),
        Shortcut("kernel.edit", "Alt+E", "Edit (on a record page)", sequence=40),
        Shortcut("kernel.menu", "Shift+F10", "Actions of the chosen row or record", sequence=50),
        Shortcut("kernel.snippet.pick", "F2", "Pick a snippet (in a long text field)", sequence=60),
        Shortcut("kernel.snippet.save", "Shift+F2", "Save the text as a snippet (in a long text field)",
                 sequence=70),
    ]


@hookimpl
def register_events() -> list[Any]:
    from kernel.events import KERNEL_EVENTS

    return list(KERNEL_EVENTS)


@hookimpl
def register_menu_items(kernel: Any) -> list[MenuItem]:
    # Document numbers only where a module declares a series (tiers without finance have none).
    numbers = [MenuItem("kernel.admin.numbering", "Document numbers", "/admin/numbering", "kernel.admin.numbering",
                        parent="kernel.admin")] if kernel.number_series else []
    return [*numbers,
        MenuItem("kernel.dashboard", "Dashboard", "/", permission=None, sequence=0, icon="home"),
        # A group without a page: shown when any entry under it is (e.g. only the recycle bin).
        MenuItem("kernel.reports", "Reports", "/reports/", permission=None, sequence=800, icon="file"),
        MenuItem("kernel.admin", "Administration", "", permission=None, sequence=900, icon="gear"),
        MenuItem("kernel.admin.users", "Users", "/admin/users", "kernel.admin.users", parent="kernel.admin"),
        MenuItem("kernel.admin.roles", "Roles", "/admin/roles", "kernel.admin.users", parent="kernel.admin"),
        MenuItem("kernel.admin.edition", "Edition and seats", "/admin/edition", "kernel.admin.users",
                 parent="kernel.admin"),
        MenuItem("kernel.admin.logins", "Login audit", "/admin/logins", "kernel.admin.users", parent="kernel.admin"),
        MenuItem("kernel.admin.settings", "Company settings", "/admin/settings", "kernel.admin.users",
                 parent="kernel.admin"),
        MenuItem("kernel.admin.jobs", "Jobs", "/admin/jobs", "kernel.admin.jobs", parent="kernel.admin"),
        MenuItem("kernel.trash", "Recycle bin", "/trash", "kernel.trash.view", parent="kernel.admin"),
    ]


KEEP_DONE = dt.timedelta(days=30)
KEEP_PUSHED = dt.timedelta(days=1)


def purge_finished(session: Session, now: dt.datetime) -> None:
    """Sent messages and successful runs are kept 30 days, failures until someone acts; pushed
    messages a day."""
    from kernel.jobs import JobLog, OutboxMessage
    from kernel.push import PushMessage

    cutoff = now - KEEP_DONE
    session.execute(delete(OutboxMessage).where(OutboxMessage.status == "done", OutboxMessage.done_at < cutoff))
    session.execute(delete(JobLog).where(JobLog.ok.is_(True), JobLog.finished_at < cutoff))
    # A pushed message is for the tabs open now; one unread after a day is for nobody.
    session.execute(delete(PushMessage).where(PushMessage.created_at < now - KEEP_PUSHED))


@hookimpl
def register_jobs() -> list[Any]:
    from kernel.jobs import Job

    return [Job("kernel.purge_finished", purge_finished, every=24 * 3600)]
