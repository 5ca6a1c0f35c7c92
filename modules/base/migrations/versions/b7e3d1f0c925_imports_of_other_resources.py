"""imports of other resources: base_import.resource names what the lines become

Revision ID: b7e3d1f0c925
Revises: afc69c7dd084
Create Date: 2026-12-07 00:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'b7e3d1f0c925'
down_revision = 'afc69c7dd084'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every import so far was of partners.
    with op.batch_alter_table('base_import', schema=None) as batch_op:
        batch_op.add_column(sa.Column('resource', sa.String(length=60), server_default='base.partner', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('base_import', schema=None) as batch_op:
        batch_op.drop_column('resource')
