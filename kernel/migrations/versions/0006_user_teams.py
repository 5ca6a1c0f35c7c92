"""a user in several teams

Revision ID: a7d3c9e21f40
Revises: k0005sessions
Create Date: 2026-12-06 15:25:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'a7d3c9e21f40'
down_revision = 'k0005sessions'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('kernel_user_team',
    sa.Column('user_id', ID, nullable=False),
    sa.Column('team_id', ID, nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['kernel_team.id'], name=op.f('fk_kernel_user_team_team_id_kernel_team'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['kernel_user.id'], name=op.f('fk_kernel_user_team_user_id_kernel_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'team_id', name=op.f('pk_kernel_user_team'))
    )
    with op.batch_alter_table('kernel_user_team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kernel_user_team_team_id'), ['team_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('kernel_user_team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kernel_user_team_team_id'))
    op.drop_table('kernel_user_team')
