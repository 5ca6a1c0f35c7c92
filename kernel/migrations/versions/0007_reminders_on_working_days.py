"""Reminders may ring on working days only (holidays from the occasions calendar).

Revision ID: k0006workdays
Revises: a7d3c9e21f40
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "k0006workdays"
down_revision = "a7d3c9e21f40"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("kernel_reminder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("working_days", sa.Boolean(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("kernel_reminder", schema=None) as batch_op:
        batch_op.drop_column("working_days")
