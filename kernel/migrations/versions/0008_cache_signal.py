"""The cache signal: one row whose version moves when a table kept in memory is written.

Revision ID: k0008cachesignal
Revises: k0006workdays
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "k0008cachesignal"
down_revision = "k0006workdays"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "kernel_cache_signal",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kernel_cache_signal")),
    )
    op.bulk_insert(table, [{"id": 1, "version": 0}])


def downgrade() -> None:
    op.drop_table("kernel_cache_signal")
