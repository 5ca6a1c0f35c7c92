"""Tasks sorted by title follow the Persian alphabet: a sort_key beside the title

Revision ID: b8e4d2a7c913
Revises: 3f6b2d8c1a90
Create Date: 2026-12-06 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kernel.migrations import backfill_sort_keys

revision = 'b8e4d2a7c913'
down_revision = '3f6b2d8c1a90'
branch_labels = None
depends_on = None

KEY = sa.String(length=400).with_variant(sa.String(length=400, collation='C'), 'postgresql')


def upgrade() -> None:
    # ADD COLUMN with a constant default is instant on both engines (no table rewrite).
    op.add_column('tasks_task', sa.Column('sort_key', KEY, nullable=False, server_default=''))
    backfill_sort_keys(op.get_bind(), 'tasks_task', 'title')
    op.create_index('ix_tasks_task_sort', 'tasks_task', ['sort_key', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_tasks_task_sort', table_name='tasks_task')
    with op.batch_alter_table('tasks_task', schema=None) as batch_op:
        batch_op.drop_column('sort_key')
