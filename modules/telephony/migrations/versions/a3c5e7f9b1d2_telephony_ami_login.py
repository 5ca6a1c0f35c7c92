"""telephony: an Asterisk manager device's user name and secret

Revision ID: a3c5e7f9b1d2
Revises: de9910dba3d8
Create Date: 2026-12-07 17:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a3c5e7f9b1d2"
down_revision = "de9910dba3d8"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("telephony_device", schema=None) as batch_op:
        batch_op.add_column(sa.Column("username", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("secret", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("telephony_device", schema=None) as batch_op:
        batch_op.drop_column("secret")
        batch_op.drop_column("username")
