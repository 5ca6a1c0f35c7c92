"""marketing: group letters' PDFs prepared in the background

Revision ID: c9e4a2b6d813
Revises: b7d2f4a6c810
Create Date: 2026-12-07 14:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c9e4a2b6d813'
down_revision = 'b7d2f4a6c810'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'marketing_letter_print',
        sa.Column('id', _ID, nullable=False),
        sa.Column('batch', sa.String(length=32), nullable=False),
        sa.Column('user_id', _ID, nullable=False),
        sa.Column('lang', sa.String(length=5), nullable=False),
        sa.Column('state', sa.String(length=10), server_default='queued', nullable=False),
        sa.Column('letters', sa.Integer(), server_default='0', nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=True),
        sa.Column('size', sa.Integer(), server_default='0', nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['kernel_user.id'],
                                name=op.f('fk_marketing_letter_print_user_id_kernel_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_marketing_letter_print')),
    )
    op.create_index('ix_marketing_letter_print_batch_user', 'marketing_letter_print', ['batch', 'user_id'])


def downgrade() -> None:
    op.drop_index('ix_marketing_letter_print_batch_user', table_name='marketing_letter_print')
    op.drop_table('marketing_letter_print')
