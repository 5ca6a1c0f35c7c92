"""Tasks sorted by title follow the Persian alphabet: a sort_key beside the title

Revision ID: b8e4d2a7c913
Revises: 3f6b2d8c1a90
Create Date: 2026-12-06 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kernel.persian.collation import sort_key

revision = 'b8e4d2a7c913'
down_revision = '3f6b2d8c1a90'
branch_labels = None
depends_on = None

KEY = sa.String(length=400).with_variant(sa.String(length=400, collation='C'), 'postgresql')
BATCH = 5_000


def upgrade() -> None:
    # ADD COLUMN with a constant default is instant on both engines (no table rewrite).
    op.add_column('tasks_task', sa.Column('sort_key', KEY, nullable=False, server_default=''))
    # The keys are made by Python (kernel.persian.collation), as every later save makes them, a
    # batch at a time in id order: 400,000 tasks never sit in memory at once.
    conn = op.get_bind()
    t = sa.table('tasks_task', sa.column('id', sa.Integer), sa.column('title', sa.String),
                 sa.column('sort_key', sa.String))
    update = sa.update(t).where(t.c.id == sa.bindparam('rid')).values(sort_key=sa.bindparam('key'))
    last = 0
    while rows := conn.execute(sa.select(t.c.id, t.c.title).where(t.c.id > last).order_by(t.c.id).limit(BATCH)).all():
        conn.execute(update, [{'rid': rid, 'key': sort_key(title)} for rid, title in rows])
        last = rows[-1][0]
    op.create_index('ix_tasks_task_sort', 'tasks_task', ['sort_key', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_tasks_task_sort', table_name='tasks_task')
    with op.batch_alter_table('tasks_task', schema=None) as batch_op:
        batch_op.drop_column('sort_key')
