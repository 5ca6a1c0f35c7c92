"""marketing letters: letter templates and the letter register (numbers unique per Jalali year)

Revision ID: a5c3e1d07b42
Revises: c3a9d27e5f14
Create Date: 2026-12-07 12:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'a5c3e1d07b42'
down_revision = 'c3a9d27e5f14'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_TRASH = sa.text('deleted_at IS NOT NULL')


def _record_columns() -> list[sa.Column]:
    return [
        sa.Column('id', _ID, nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.Column('created_by_id', _ID, nullable=True),
        sa.Column('updated_by_id', _ID, nullable=True),
        sa.Column('owner_id', _ID, nullable=True),
    ]


def _record_keys(table: str) -> list[sa.ForeignKeyConstraint]:
    return [sa.ForeignKeyConstraint([c], ['kernel_user.id'], name=op.f(f'fk_{table}_{c}_kernel_user'), ondelete='RESTRICT')
            for c in ('created_by_id', 'owner_id', 'updated_by_id')]


def upgrade() -> None:
    op.create_table('marketing_letter_template',
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('category_id', _ID, nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    *_record_columns(),
    sa.ForeignKeyConstraint(['category_id'], ['marketing_category.id'], name=op.f('fk_marketing_letter_template_category_id_marketing_category')),
    *_record_keys('marketing_letter_template'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_marketing_letter_template'))
    )
    with op.batch_alter_table('marketing_letter_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_marketing_letter_template_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_marketing_letter_template_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_marketing_letter_template_trash', ['deleted_at'], unique=False, sqlite_where=_TRASH, postgresql_where=_TRASH)

    op.create_table('marketing_letter',
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('partner_id', _ID, nullable=False),
    sa.Column('contact_id', _ID, nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('category_id', _ID, nullable=True),
    sa.Column('template_id', _ID, nullable=True),
    sa.Column('batch', sa.String(length=32), nullable=True),
    sa.Column('search_key', sa.String(length=2000), nullable=False),
    *_record_columns(),
    sa.ForeignKeyConstraint(['category_id'], ['marketing_category.id'], name=op.f('fk_marketing_letter_category_id_marketing_category')),
    sa.ForeignKeyConstraint(['contact_id'], ['base_partner.id'], name=op.f('fk_marketing_letter_contact_id_base_partner')),
    sa.ForeignKeyConstraint(['partner_id'], ['base_partner.id'], name=op.f('fk_marketing_letter_partner_id_base_partner')),
    sa.ForeignKeyConstraint(['template_id'], ['marketing_letter_template.id'], name=op.f('fk_marketing_letter_template_id_marketing_letter_template')),
    *_record_keys('marketing_letter'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_marketing_letter')),
    sa.UniqueConstraint('year', 'number', name='uq_marketing_letter_year_number')
    )
    with op.batch_alter_table('marketing_letter', schema=None) as batch_op:
        batch_op.create_index('ix_marketing_letter_date_id', ['date', 'id'], unique=False)
        for column in ('batch', 'category_id', 'contact_id', 'owner_id', 'partner_id', 'template_id'):
            batch_op.create_index(batch_op.f(f'ix_marketing_letter_{column}'), [column], unique=False)
        batch_op.create_index('ix_marketing_letter_trash', ['deleted_at'], unique=False, sqlite_where=_TRASH, postgresql_where=_TRASH)


def downgrade() -> None:
    op.drop_table('marketing_letter')
    op.drop_table('marketing_letter_template')
