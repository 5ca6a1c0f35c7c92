"""reminders and alarms in the kernel (KER-11, KER-21)

Revision ID: k0002reminders
Revises: 55c26591de9b
Create Date: 2026-12-06 15:30:00

Reminders and alarms belong to every edition. A reminder links to what it is about with
``link_resource`` + ``link_id`` (no foreign key: the kernel knows no module's table). The tasks
module's revision 7d3e5a1c9b42 moves its old rows here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'k0002reminders'
down_revision = '55c26591de9b'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
TABLES = ("kernel_reminder", "kernel_alarm")


def upgrade() -> None:
    op.create_table('kernel_reminder',
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('user_id', ID, nullable=True),
    sa.Column('first_at', sa.DateTime(), nullable=False),
    sa.Column('repeat', sa.String(length=10), server_default='none', nullable=False),
    sa.Column('next_at', sa.DateTime(), nullable=True),
    sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('by_email', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('link_resource', sa.String(length=80), nullable=True),
    sa.Column('link_id', sa.BigInteger(), nullable=True),
    sa.Column('id', ID, nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', ID, nullable=True),
    sa.Column('updated_by_id', ID, nullable=True),
    sa.Column('owner_id', ID, nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['kernel_user.id'], name=op.f('fk_kernel_reminder_created_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['owner_id'], ['kernel_user.id'], name=op.f('fk_kernel_reminder_owner_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['kernel_user.id'], name=op.f('fk_kernel_reminder_updated_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['kernel_user.id'], name=op.f('fk_kernel_reminder_user_id_kernel_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kernel_reminder'))
    )
    with op.batch_alter_table('kernel_reminder', schema=None) as batch_op:
        batch_op.create_index('ix_kernel_reminder_next', ['next_at', 'id'], unique=False, sqlite_where=sa.text('deleted_at IS NULL AND next_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NULL AND next_at IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_kernel_reminder_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_kernel_reminder_link', ['link_resource', 'link_id'], unique=False)
        batch_op.create_index('ix_kernel_reminder_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.create_index('ix_kernel_reminder_user', ['user_id', 'next_at', 'id'], unique=False)

    op.create_table('kernel_alarm',
    sa.Column('id', ID, nullable=False),
    sa.Column('user_id', ID, nullable=False),
    sa.Column('reminder_id', ID, nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=300), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['reminder_id'], ['kernel_reminder.id'], name=op.f('fk_kernel_alarm_reminder_id_kernel_reminder'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['kernel_user.id'], name=op.f('fk_kernel_alarm_user_id_kernel_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kernel_alarm')),
    sa.UniqueConstraint('reminder_id', 'due_at', name='uq_kernel_alarm_reminder_due')
    )
    with op.batch_alter_table('kernel_alarm', schema=None) as batch_op:
        batch_op.create_index('ix_kernel_alarm_unseen', ['user_id', 'id'], unique=False, sqlite_where=sa.text('seen_at IS NULL'), postgresql_where=sa.text('seen_at IS NULL'))
        batch_op.create_index('ix_kernel_alarm_user', ['user_id', 'due_at'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        # Each scan rewrites the due reminders and adds alarms: vacuum after 1 % (or 1,000 rows)
        # changed, not the default 20 %, so the index-only scans of the work queue stay fast
        # (see the tasks revision 5b1d0c7e9a21 and docs/PERFORMANCE.md).
        for table in TABLES:
            op.execute(f"ALTER TABLE {table} SET (autovacuum_vacuum_scale_factor = 0.01, "
                       "autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_insert_scale_factor = 0.01)")


def downgrade() -> None:
    op.drop_table('kernel_alarm')
    op.drop_table('kernel_reminder')
