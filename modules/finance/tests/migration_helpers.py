"""Steps shared by the finance upgrade tests: go back to a revision, add roles as an older
database had them, and come up to the heads again (twice: the second must change nothing)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa


def migrate(kernel: Any, target: str, down: bool = False) -> None:
    from alembic import command

    from kernel.migrations import alembic_config, migrating

    with migrating(kernel) as conn:
        cfg = alembic_config(kernel)
        cfg.attributes["connection"] = conn
        if down:
            command.downgrade(cfg, target)
        else:
            command.upgrade(cfg, target)
            command.upgrade(cfg, target)  # nothing twice


def add_roles(conn: Any, roles: Iterable[tuple[str, tuple[str, ...]]]) -> None:
    """Roles of all records holding these permissions, written as rows (the models may be newer)."""
    from kernel.models import Role, RolePermission

    for name, perms in roles:
        role = conn.execute(sa.insert(Role).values(name=name, record_scope="all").returning(Role.id)).scalar_one()
        conn.execute(sa.insert(RolePermission), [{"role_id": role, "permission": p} for p in perms])
