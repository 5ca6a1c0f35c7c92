"""telephony: a call remembers the communication "log the call" wrote for it

Revision ID: c4a7e2b91f30
Revises: a3c5e7f9b1d2
Create Date: 2026-12-07 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c4a7e2b91f30'
down_revision = 'a3c5e7f9b1d2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('telephony_call', schema=None) as batch_op:
        batch_op.add_column(sa.Column('communication_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                                      nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_telephony_call_communication_id_base_communication'),
                                    'base_communication', ['communication_id'], ['id'], ondelete='SET NULL')
        # Purging a communication sets its call's link to NULL: found by this index, not a scan.
        batch_op.create_index('ix_telephony_call_communication', ['communication_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('telephony_call', schema=None) as batch_op:
        batch_op.drop_index('ix_telephony_call_communication')
        batch_op.drop_constraint(batch_op.f('fk_telephony_call_communication_id_base_communication'),
                                 type_='foreignkey')
        batch_op.drop_column('communication_id')
