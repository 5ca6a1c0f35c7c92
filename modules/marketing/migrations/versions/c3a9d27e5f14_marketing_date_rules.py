"""marketing: sends relative to a date (date rules) and the records each was sent about

Revision ID: c3a9d27e5f14
Revises: e8fb1d837a69
Create Date: 2026-12-07 12:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c3a9d27e5f14'
down_revision = 'e8fb1d837a69'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('marketing_date_rule',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('source', sa.String(length=80), nullable=False),
    sa.Column('days_before', sa.Integer(), server_default='1', nullable=False),
    sa.Column('category_id', ID, nullable=False),
    sa.Column('template_id', ID, nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('id', ID, nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', ID, nullable=True),
    sa.Column('updated_by_id', ID, nullable=True),
    sa.Column('owner_id', ID, nullable=True),
    sa.ForeignKeyConstraint(['category_id'], ['marketing_category.id'], name=op.f('fk_marketing_date_rule_category_id_marketing_category')),
    sa.ForeignKeyConstraint(['created_by_id'], ['kernel_user.id'], name=op.f('fk_marketing_date_rule_created_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['owner_id'], ['kernel_user.id'], name=op.f('fk_marketing_date_rule_owner_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['template_id'], ['marketing_template.id'], name=op.f('fk_marketing_date_rule_template_id_marketing_template')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['kernel_user.id'], name=op.f('fk_marketing_date_rule_updated_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_marketing_date_rule'))
    )
    with op.batch_alter_table('marketing_date_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_marketing_date_rule_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_marketing_date_rule_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))

    op.create_table('marketing_date_rule_sent',
    sa.Column('id', ID, nullable=False),
    sa.Column('rule_id', ID, nullable=False),
    sa.Column('record_id', ID, nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('send_id', ID, nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['rule_id'], ['marketing_date_rule.id'], name=op.f('fk_marketing_date_rule_sent_rule_id_marketing_date_rule')),
    sa.ForeignKeyConstraint(['send_id'], ['marketing_send.id'], name=op.f('fk_marketing_date_rule_sent_send_id_marketing_send')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_marketing_date_rule_sent')),
    sa.UniqueConstraint('rule_id', 'record_id', 'on_date', name='uq_marketing_date_rule_sent')
    )


def downgrade() -> None:
    op.drop_table('marketing_date_rule_sent')
    with op.batch_alter_table('marketing_date_rule', schema=None) as batch_op:
        batch_op.drop_index('ix_marketing_date_rule_trash', sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_marketing_date_rule_owner_id'))
    op.drop_table('marketing_date_rule')
