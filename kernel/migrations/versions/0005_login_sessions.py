"""Server-side login sessions: logging out ends a session for good (issue 9, item 5).

Revision ID: k0005sessions
Revises: k0004occasions
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "k0005sessions"
down_revision = "k0004occasions"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "kernel_login_session",
        sa.Column("id", _ID, nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["kernel_user.id"], name=op.f("fk_kernel_login_session_user_id_kernel_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kernel_login_session")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_kernel_login_session_key_hash")),
    )
    with op.batch_alter_table("kernel_login_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kernel_login_session_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kernel_login_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kernel_login_session_user_id"))
    op.drop_table("kernel_login_session")
