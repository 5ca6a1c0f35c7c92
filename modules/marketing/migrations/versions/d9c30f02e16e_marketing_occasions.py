"""marketing occasions: occasion rules and their runs (one batch per rule and occasion day)

Revision ID: d9c30f02e16e
Revises: c9e4a2b6d813
Create Date: 2026-12-07 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'd9c30f02e16e'
down_revision = 'c9e4a2b6d813'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
TRASH = sa.text('deleted_at IS NOT NULL')


def upgrade() -> None:
    op.create_table('marketing_occasion_rule',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('occasion', sa.String(length=60), nullable=False),
    sa.Column('days_before', sa.Integer(), server_default='0', nullable=False),
    sa.Column('send_hour', sa.Integer(), server_default='9', nullable=False),
    sa.Column('category_id', ID, nullable=False),
    sa.Column('template_id', ID, nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('query', sa.String(length=1000), nullable=True),
    sa.Column('auto_send', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('id', ID, nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', ID, nullable=True),
    sa.Column('updated_by_id', ID, nullable=True),
    sa.Column('owner_id', ID, nullable=True),
    sa.ForeignKeyConstraint(['category_id'], ['marketing_category.id'], name=op.f('fk_marketing_occasion_rule_category_id_marketing_category')),
    sa.ForeignKeyConstraint(['created_by_id'], ['kernel_user.id'], name=op.f('fk_marketing_occasion_rule_created_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['owner_id'], ['kernel_user.id'], name=op.f('fk_marketing_occasion_rule_owner_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['template_id'], ['marketing_template.id'], name=op.f('fk_marketing_occasion_rule_template_id_marketing_template')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['kernel_user.id'], name=op.f('fk_marketing_occasion_rule_updated_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_marketing_occasion_rule'))
    )
    with op.batch_alter_table('marketing_occasion_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_marketing_occasion_rule_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_marketing_occasion_rule_trash', ['deleted_at'], unique=False, sqlite_where=TRASH, postgresql_where=TRASH)

    op.create_table('marketing_occasion_run',
    sa.Column('id', ID, nullable=False),
    sa.Column('rule_id', ID, nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('send_id', ID, nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['rule_id'], ['marketing_occasion_rule.id'], name=op.f('fk_marketing_occasion_run_rule_id_marketing_occasion_rule')),
    sa.ForeignKeyConstraint(['send_id'], ['marketing_send.id'], name=op.f('fk_marketing_occasion_run_send_id_marketing_send')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_marketing_occasion_run')),
    sa.UniqueConstraint('rule_id', 'on_date', name='uq_marketing_occasion_run')
    )


def downgrade() -> None:
    op.drop_table('marketing_occasion_run')
    with op.batch_alter_table('marketing_occasion_rule', schema=None) as batch_op:
        batch_op.drop_index('ix_marketing_occasion_rule_trash', sqlite_where=TRASH, postgresql_where=TRASH)
        batch_op.drop_index(batch_op.f('ix_marketing_occasion_rule_owner_id'))
    op.drop_table('marketing_occasion_rule')
