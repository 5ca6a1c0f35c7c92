"""What a user manager who is not an administrator may do (issue 9, item 4).

"Manage users" is a delegated right: it must not reach administrators (setting an
administrator's password let its holder sign in as one) nor hand out more than its holder has
(permissions beyond their own, a wider record scope, the administrator flag). Administrators
may do everything.
"""

from __future__ import annotations

from collections.abc import Iterable

from kernel.actor import Actor
from kernel.errors import PermissionDenied
from kernel.models import Role, User
from kernel.security import SCOPE_RANK


def may_manage(actor: Actor, user: User) -> None:
    if not actor.is_admin and user.is_admin:
        raise PermissionDenied("Only an administrator may change an administrator")


def may_make_admin(actor: Actor, wanted: bool) -> None:
    if wanted and not actor.is_admin:
        raise PermissionDenied("Only an administrator may make an administrator")


def may_define(actor: Actor, codes: Iterable[str], scope: str) -> None:
    """A role the actor defines or grants: no permission and no scope beyond the actor's own."""
    if actor.is_admin:
        return
    beyond = sorted(set(codes) - actor.permissions)
    if beyond or SCOPE_RANK.get(scope, 0) > SCOPE_RANK.get(actor.record_scope, 0):
        raise PermissionDenied("You cannot grant more than you hold yourself")


def may_grant(actor: Actor, roles: Iterable[Role]) -> None:
    for role in roles:
        may_define(actor, (p.permission for p in role.permissions), role.record_scope)
