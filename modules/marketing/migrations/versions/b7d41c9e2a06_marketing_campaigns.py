"""marketing campaigns: campaigns (marketing plans), their steps and their targets

Revision ID: b7d41c9e2a06
Revises: d9c30f02e16e
Create Date: 2026-12-07 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'b7d41c9e2a06'
down_revision = 'd9c30f02e16e'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_TRASH = sa.text('deleted_at IS NOT NULL')


def _record_columns() -> list[sa.Column]:
    return [
        sa.Column('id', _ID, nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.Column('created_by_id', _ID, nullable=True),
        sa.Column('updated_by_id', _ID, nullable=True),
        sa.Column('owner_id', _ID, nullable=True),
    ]


def _record_keys(table: str) -> list[sa.ForeignKeyConstraint]:
    return [sa.ForeignKeyConstraint([c], ['kernel_user.id'], name=op.f(f'fk_{table}_{c}_kernel_user'), ondelete='RESTRICT')
            for c in ('created_by_id', 'owner_id', 'updated_by_id')]


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'))


def upgrade() -> None:
    op.create_table('marketing_campaign',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('goal', sa.Text(), nullable=True),
    sa.Column('target_query', sa.String(length=2000), nullable=True),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=False),
    sa.Column('budget', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('manual_cost', sa.BigInteger(), nullable=True),
    sa.Column('state', sa.String(length=12), server_default='draft', nullable=False),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('decided_by_id', _ID, nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('search_key', sa.String(length=2000), nullable=False),
    *_record_columns(),
    _fk('marketing_campaign', 'decided_by_id', 'kernel_user'),
    *_record_keys('marketing_campaign'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_marketing_campaign'))
    )
    with op.batch_alter_table('marketing_campaign', schema=None) as batch_op:
        for column in ('owner_id', 'state'):
            batch_op.create_index(batch_op.f(f'ix_marketing_campaign_{column}'), [column], unique=False)
        batch_op.create_index('ix_marketing_campaign_trash', ['deleted_at'], unique=False, sqlite_where=_TRASH, postgresql_where=_TRASH)

    op.create_table('marketing_campaign_step',
    sa.Column('campaign_id', _ID, nullable=False),
    sa.Column('kind', sa.String(length=10), server_default='sms', nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('category_id', _ID, nullable=True),
    sa.Column('template_id', _ID, nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('letter_template_id', _ID, nullable=True),
    sa.Column('first_number', sa.Integer(), nullable=True),
    sa.Column('assignee_id', _ID, nullable=True),
    sa.Column('state', sa.String(length=10), server_default='planned', nullable=False),
    sa.Column('ran_at', sa.DateTime(), nullable=True),
    sa.Column('send_id', _ID, nullable=True),
    sa.Column('letter_batch', sa.String(length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    *_record_columns(),
    _fk('marketing_campaign_step', 'assignee_id', 'kernel_user'),
    _fk('marketing_campaign_step', 'campaign_id', 'marketing_campaign'),
    _fk('marketing_campaign_step', 'category_id', 'marketing_category'),
    _fk('marketing_campaign_step', 'letter_template_id', 'marketing_letter_template'),
    _fk('marketing_campaign_step', 'send_id', 'marketing_send'),
    _fk('marketing_campaign_step', 'template_id', 'marketing_template'),
    *_record_keys('marketing_campaign_step'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_marketing_campaign_step'))
    )
    with op.batch_alter_table('marketing_campaign_step', schema=None) as batch_op:
        for column in ('campaign_id', 'on_date', 'owner_id', 'state'):
            batch_op.create_index(batch_op.f(f'ix_marketing_campaign_step_{column}'), [column], unique=False)
        batch_op.create_index('ix_marketing_campaign_step_trash', ['deleted_at'], unique=False, sqlite_where=_TRASH, postgresql_where=_TRASH)

    op.create_table('marketing_campaign_target',
    sa.Column('id', _ID, nullable=False),
    sa.Column('campaign_id', _ID, nullable=False),
    sa.Column('partner_id', _ID, nullable=False),
    sa.Column('letter_id', _ID, nullable=True),
    sa.Column('task_id', _ID, nullable=True),
    sa.Column('response', sa.String(length=16), server_default='none', nullable=False),
    sa.Column('response_note', sa.String(length=300), nullable=True),
    sa.Column('response_at', sa.DateTime(), nullable=True),
    sa.Column('response_by_id', _ID, nullable=True),
    _fk('marketing_campaign_target', 'campaign_id', 'marketing_campaign'),
    _fk('marketing_campaign_target', 'letter_id', 'marketing_letter'),
    _fk('marketing_campaign_target', 'partner_id', 'base_partner'),
    _fk('marketing_campaign_target', 'response_by_id', 'kernel_user'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_marketing_campaign_target')),
    sa.UniqueConstraint('campaign_id', 'partner_id', name='uq_marketing_campaign_target')
    )
    with op.batch_alter_table('marketing_campaign_target', schema=None) as batch_op:
        batch_op.create_index('ix_marketing_campaign_target_partner', ['partner_id', 'campaign_id'], unique=False)


def downgrade() -> None:
    op.drop_table('marketing_campaign_target')
    op.drop_table('marketing_campaign_step')
    op.drop_table('marketing_campaign')
