"""Document number counters: one row per series and Jalali fiscal year (kernel.numbering).

The never-used ``kernel_sequence`` (one counter per name, no year) goes: numbers restart every
fiscal year, and one table is the one place they are kept.

Revision ID: k0009numbers
Revises: k0008cachesignal
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "k0009numbers"
down_revision = "k0008cachesignal"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kernel_number_counter",
        sa.Column("series", sa.String(length=80), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("next_value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("series", "fiscal_year", name=op.f("pk_kernel_number_counter")),
    )
    op.drop_table("kernel_sequence")


def downgrade() -> None:
    op.create_table(
        "kernel_sequence",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("next_value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kernel_sequence")),
        sa.UniqueConstraint("name", name=op.f("uq_kernel_sequence_name")),
    )
    op.drop_table("kernel_number_counter")
