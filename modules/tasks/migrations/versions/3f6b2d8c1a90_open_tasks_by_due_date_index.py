"""open tasks by due date: an index a sorted list walks

Revision ID: 3f6b2d8c1a90
Revises: 7d3e5a1c9b42
Create Date: 2026-12-06 19:30:00
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = '3f6b2d8c1a90'
down_revision = '7d3e5a1c9b42'
branch_labels = None
depends_on = None

_LIVE_OPEN = sa.text("deleted_at IS NULL AND done_at IS NULL")


def _index() -> sa.Index:
    # The list's own sort expression, kernel.records.nulls_first(due_at, "datetime"), with its
    # constant written out as the dialect writes it: an index matches only the same expression.
    table = sa.Table("tasks_task", sa.MetaData(), sa.Column("id", sa.BigInteger), sa.Column("due_at", sa.DateTime))
    low = sa.func.coalesce(table.c.due_at, sa.literal(dt.datetime(1, 1, 1), sa.DateTime()))
    return sa.Index("ix_tasks_task_open_by_due", low, table.c.id, sqlite_where=_LIVE_OPEN,
                    postgresql_where=_LIVE_OPEN)


def upgrade() -> None:
    _index().create(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_tasks_task_open_by_due", table_name="tasks_task")
