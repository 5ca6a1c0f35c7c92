"""reminders and alarms move to the kernel

Revision ID: 7d3e5a1c9b42
Revises: 5b1d0c7e9a21
Create Date: 2026-12-06 15:40:00

Every tasks_reminder and tasks_alarm row is copied into the kernel's tables (revision
k0002reminders) with its id, so alarms keep pointing at their reminders and nothing rings twice:
an alarm's (reminder, due time) pair is unique there as it was here, and ``next_at`` is kept.

What a reminder was about becomes its generic link, first match wins:
  task_id → ("tasks.task", task_id); an existing link → kept; partner_id → ("base.partner", id).
(A task's reminder loses its partner column; the task itself names the partner.)

Also renamed: the permissions tasks.reminder.* → kernel.reminder.* and tasks.daily_report.view →
kernel.daily_report.view in roles, the reminders' history, attachments and list-column choices,
the dashboard's "tasks.alarms" block, alarm links to /tasks/reminder/<id>, and e-mails still
waiting in the outbox. PostgreSQL's id sequences then continue after the copied ids.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '7d3e5a1c9b42'
down_revision = '5b1d0c7e9a21'
branch_labels = None
depends_on = 'k0002reminders'

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
COMMON = ("id", "title", "note", "user_id", "first_at", "repeat", "next_at", "active", "by_email",
          "created_at", "updated_at", "deleted_at", "created_by_id", "updated_by_id", "owner_id")
ALARM = ("id", "user_id", "reminder_id", "kind", "title", "url", "due_at", "created_at", "seen_at")
RENAMES = (
    # (table, column, old, new): exact values renamed
    ("kernel_role_permission", "permission", "tasks.daily_report.view", "kernel.daily_report.view"),
    ("kernel_history", "table_name", "tasks_reminder", "kernel_reminder"),
    ("kernel_attachment", "table_name", "tasks_reminder", "kernel_reminder"),
    ("kernel_user_pref", "key", "columns:tasks.reminder", "columns:kernel.reminder"),
    ("kernel_outbox", "topic", "tasks.alarm_mail", "kernel.alarm_mail"),
)


def _reset_sequence(table: str) -> None:
    op.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) "
               f"FROM {table}")


def upgrade() -> None:
    cols = ", ".join(COMMON)
    task_link = "task_id IS NOT NULL"
    own_link = "link_resource IS NOT NULL AND link_id IS NOT NULL"
    op.execute(
        f"INSERT INTO kernel_reminder ({cols}, link_resource, link_id) SELECT {cols}, "
        f"CASE WHEN {task_link} THEN 'tasks.task' WHEN {own_link} THEN link_resource "
        "WHEN partner_id IS NOT NULL THEN 'base.partner' END, "
        f"CASE WHEN {task_link} THEN task_id WHEN {own_link} THEN link_id ELSE partner_id END "
        "FROM tasks_reminder")
    alarm_cols = ", ".join(ALARM)
    op.execute(f"INSERT INTO kernel_alarm ({alarm_cols}) SELECT {alarm_cols} FROM tasks_alarm")
    op.execute("UPDATE kernel_alarm SET url = replace(url, '/tasks/reminder/', '/kernel/reminder/') "
               "WHERE url LIKE '/tasks/reminder/%'")
    op.execute("UPDATE kernel_role_permission SET permission = replace(permission, 'tasks.reminder.', 'kernel.reminder.') "
               "WHERE permission LIKE 'tasks.reminder.%'")
    for table, column, old, new in RENAMES:
        op.execute(sa.text(f"UPDATE {table} SET {column} = :new WHERE {column} = :old").bindparams(old=old, new=new))
    op.execute("UPDATE kernel_user_pref SET value = replace(value, '\"tasks.alarms\"', '\"kernel.alarms\"') "
               "WHERE key = 'dashboard.blocks'")
    if op.get_bind().dialect.name == "postgresql":
        _reset_sequence("kernel_reminder")
        _reset_sequence("kernel_alarm")
    op.drop_table('tasks_alarm')
    op.drop_table('tasks_reminder')


def downgrade() -> None:
    """Back to the tasks tables: the rows linked to tasks or partners keep those links."""
    op.create_table('tasks_reminder',
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('user_id', ID, nullable=True),
    sa.Column('first_at', sa.DateTime(), nullable=False),
    sa.Column('repeat', sa.String(length=10), server_default='none', nullable=False),
    sa.Column('next_at', sa.DateTime(), nullable=True),
    sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('by_email', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('task_id', ID, nullable=True),
    sa.Column('partner_id', ID, nullable=True),
    sa.Column('link_resource', sa.String(length=80), nullable=True),
    sa.Column('link_id', sa.BigInteger(), nullable=True),
    sa.Column('id', ID, nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', ID, nullable=True),
    sa.Column('updated_by_id', ID, nullable=True),
    sa.Column('owner_id', ID, nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['kernel_user.id'], name=op.f('fk_tasks_reminder_created_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['owner_id'], ['kernel_user.id'], name=op.f('fk_tasks_reminder_owner_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['partner_id'], ['base_partner.id'], name=op.f('fk_tasks_reminder_partner_id_base_partner')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks_task.id'], name=op.f('fk_tasks_reminder_task_id_tasks_task'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['kernel_user.id'], name=op.f('fk_tasks_reminder_updated_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['kernel_user.id'], name=op.f('fk_tasks_reminder_user_id_kernel_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks_reminder'))
    )
    with op.batch_alter_table('tasks_reminder', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_reminder_next', ['next_at', 'id'], unique=False, sqlite_where=sa.text('deleted_at IS NULL AND next_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NULL AND next_at IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_tasks_reminder_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tasks_reminder_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index('ix_tasks_reminder_task', ['task_id'], unique=False)
        batch_op.create_index('ix_tasks_reminder_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.create_index('ix_tasks_reminder_user', ['user_id', 'next_at', 'id'], unique=False)
    op.create_table('tasks_alarm',
    sa.Column('id', ID, nullable=False),
    sa.Column('user_id', ID, nullable=False),
    sa.Column('reminder_id', ID, nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=300), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['reminder_id'], ['tasks_reminder.id'], name=op.f('fk_tasks_alarm_reminder_id_tasks_reminder'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['kernel_user.id'], name=op.f('fk_tasks_alarm_user_id_kernel_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks_alarm')),
    sa.UniqueConstraint('reminder_id', 'due_at', name='uq_tasks_alarm_reminder_due')
    )
    with op.batch_alter_table('tasks_alarm', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_alarm_unseen', ['user_id', 'id'], unique=False, sqlite_where=sa.text('seen_at IS NULL'), postgresql_where=sa.text('seen_at IS NULL'))
        batch_op.create_index('ix_tasks_alarm_user', ['user_id', 'due_at'], unique=False)
    cols = ", ".join(COMMON)
    op.execute(
        f"INSERT INTO tasks_reminder ({cols}, task_id, partner_id, link_resource, link_id) SELECT {cols}, "
        "CASE WHEN link_resource = 'tasks.task' THEN link_id END, "
        "CASE WHEN link_resource = 'base.partner' THEN link_id END, "
        "CASE WHEN link_resource NOT IN ('tasks.task', 'base.partner') THEN link_resource END, "
        "CASE WHEN link_resource NOT IN ('tasks.task', 'base.partner') THEN link_id END FROM kernel_reminder")
    alarm_cols = ", ".join(ALARM)
    op.execute(f"INSERT INTO tasks_alarm ({alarm_cols}) SELECT {alarm_cols} FROM kernel_alarm")
    op.execute("DELETE FROM kernel_alarm")
    op.execute("DELETE FROM kernel_reminder")
    if op.get_bind().dialect.name == "postgresql":
        _reset_sequence("tasks_reminder")
        _reset_sequence("tasks_alarm")
