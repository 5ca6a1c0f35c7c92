"""Teams under teams: kernel_team.parent_id (a team's scope covers the teams under it).

Revision ID: k0011teamtree
Revises: k0010push
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "k0011teamtree"
down_revision = "k0010push"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("kernel_team", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_kernel_team_parent_id_kernel_team"), "kernel_team",
                                    ["parent_id"], ["id"], ondelete="SET NULL")
        batch_op.create_index(batch_op.f("ix_kernel_team_parent_id"), ["parent_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kernel_team", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kernel_team_parent_id"))
        batch_op.drop_constraint(batch_op.f("fk_kernel_team_parent_id_kernel_team"), type_="foreignkey")
        batch_op.drop_column("parent_id")
