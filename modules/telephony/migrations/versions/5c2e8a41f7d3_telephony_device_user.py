"""telephony: a device's workstation user (card readers and barcode scanners, DEV-02)

Revision ID: 5c2e8a41f7d3
Revises: c4a7e2b91f30
Create Date: 2026-12-07 17:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '5c2e8a41f7d3'
down_revision = 'c4a7e2b91f30'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('telephony_device', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.create_index(batch_op.f('ix_telephony_device_user_id'), ['user_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_telephony_device_user_id_kernel_user'), 'kernel_user', ['user_id'],
                                    ['id'])


def downgrade() -> None:
    with op.batch_alter_table('telephony_device', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_telephony_device_user_id_kernel_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_telephony_device_user_id'))
        batch_op.drop_column('user_id')
