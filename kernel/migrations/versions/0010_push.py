"""Pushed messages: a row per message to one user's open tabs (kernel.push).

Revision ID: k0010push
Revises: k0009numbers
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "k0010push"
down_revision = "k0009numbers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kernel_push",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["kernel_user.id"], name=op.f("fk_kernel_push_user_id_kernel_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kernel_push")),
    )
    op.create_index("ix_kernel_push_user", "kernel_push", ["user_id", "id"], unique=False)
    op.create_index(op.f("ix_kernel_push_created_at"), "kernel_push", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_kernel_push_created_at"), table_name="kernel_push")
    op.drop_index("ix_kernel_push_user", table_name="kernel_push")
    op.drop_table("kernel_push")
