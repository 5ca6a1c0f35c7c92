"""snippets (KER-14)

Revision ID: k0003snippets
Revises: 55c26591de9b
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'k0003snippets'
down_revision = '55c26591de9b'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('kernel_snippet',
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('id', ID, nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', ID, nullable=True),
    sa.Column('updated_by_id', ID, nullable=True),
    sa.Column('owner_id', ID, nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['kernel_user.id'], name=op.f('fk_kernel_snippet_created_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['owner_id'], ['kernel_user.id'], name=op.f('fk_kernel_snippet_owner_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['kernel_user.id'], name=op.f('fk_kernel_snippet_updated_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kernel_snippet'))
    )
    with op.batch_alter_table('kernel_snippet', schema=None) as batch_op:
        batch_op.create_index('ix_kernel_snippet_owner', ['owner_id', 'shared'], unique=False)
        batch_op.create_index(batch_op.f('ix_kernel_snippet_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_kernel_snippet_trash', ['deleted_at'], unique=False,
                              sqlite_where=sa.text('deleted_at IS NOT NULL'),
                              postgresql_where=sa.text('deleted_at IS NOT NULL'))


def downgrade() -> None:
    with op.batch_alter_table('kernel_snippet', schema=None) as batch_op:
        batch_op.drop_index('ix_kernel_snippet_trash', sqlite_where=sa.text('deleted_at IS NOT NULL'),
                            postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_kernel_snippet_owner_id'))
        batch_op.drop_index('ix_kernel_snippet_owner')
    op.drop_table('kernel_snippet')
