"""Role templates (``register_role_templates``): a typical job's permissions, offered when an
administrator creates a role, so a new office starts from "receptionist" rather than from
ninety unticked boxes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kernel.declarations import RoleTemplate
from kernel.models import Role, RolePermission

if TYPE_CHECKING:
    from kernel.kernel import Kernel

SCOPES = ("all", "team", "own")


def expand(kernel: Kernel, codes: Iterable[str]) -> set[str]:
    """Permission codes with ``"<resource>.*"`` expanded; codes no enabled module declares are
    dropped (a template may name an optional module's permissions)."""
    out: set[str] = set()
    for code in codes:
        if code.endswith(".*"):
            out |= {c for c in kernel.permissions if c.startswith(code[:-1])}
        elif code in kernel.permissions:
            out.add(code)
    return out


def fill(kernel: Kernel, role: Role, template: RoleTemplate) -> None:
    """Give ``role`` the template's permissions and record scope (replacing what it had)."""
    role.record_scope = template.record_scope if template.record_scope in SCOPES else "own"
    role.permissions = [RolePermission(permission=c) for c in sorted(expand(kernel, template.permissions))]
