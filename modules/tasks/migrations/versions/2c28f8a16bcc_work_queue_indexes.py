"""work queue indexes: the open-task index carries the other owner columns (PostgreSQL)

Revision ID: 2c28f8a16bcc
Revises: ee8eba524369
Create Date: 2026-11-23 18:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '2c28f8a16bcc'
down_revision = 'ee8eba524369'
branch_labels = None
depends_on = None

_OPEN = sa.text("deleted_at IS NULL AND done_at IS NULL")


def _recreate(include: list[str]) -> None:
    # INCLUDE exists only on PostgreSQL; SQLite's index stays as it is.
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_tasks_task_open_due", table_name="tasks_task")
    op.create_index("ix_tasks_task_open_due", "tasks_task", ["assignee_id", "due_at", "id"],
                    postgresql_where=_OPEN, postgresql_include=include)


def upgrade() -> None:
    _recreate(["owner_id", "referred_by_id"])


def downgrade() -> None:
    _recreate([])
