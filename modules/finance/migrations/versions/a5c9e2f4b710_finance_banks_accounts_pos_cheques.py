"""finance: banks (seeded with their IBAN codes), our bank accounts, POS terminals, cheques and
the history of their states (FIN-09, FIN-10)

Revision ID: a5c9e2f4b710
Revises: f1a7b3c5d901
Create Date: 2027-01-10 10:00:00
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = 'a5c9e2f4b710'
down_revision = 'f1a7b3c5d901'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_LIVE = 'deleted_at IS NULL'

# A copy, not an import: a migration stays as it was written when the model's list changes.
# Codes from persian-tools/persian-tools (src/modules/sheba/codes.skip.ts) and sepehr1101/Aban360
# (PaymentPool DbSeeder Bank.sql), which agree on each.
_BANKS = (
    ('010', 'بانک مرکزی جمهوری اسلامی ایران'), ('011', 'بانک صنعت و معدن'), ('012', 'بانک ملت'),
    ('013', 'بانک رفاه کارگران'), ('014', 'بانک مسکن'), ('015', 'بانک سپه'), ('016', 'بانک کشاورزی'),
    ('017', 'بانک ملی ایران'), ('018', 'بانک تجارت'), ('019', 'بانک صادرات ایران'),
    ('020', 'بانک توسعه صادرات ایران'), ('021', 'پست بانک ایران'), ('022', 'بانک توسعه تعاون'),
    ('053', 'بانک کارآفرین'), ('054', 'بانک پارسیان'), ('055', 'بانک اقتصاد نوین'), ('056', 'بانک سامان'),
    ('057', 'بانک پاسارگاد'), ('058', 'بانک سرمایه'), ('059', 'بانک سینا'),
    ('060', 'بانک قرض‌الحسنه مهر ایران'), ('061', 'بانک شهر'), ('062', 'بانک آینده'), ('066', 'بانک دی'),
    ('069', 'بانک ایران زمین'), ('070', 'بانک قرض‌الحسنه رسالت'), ('078', 'بانک خاورمیانه'),
)


def _record(table: str) -> list[Any]:
    """The columns and keys of kernel.Record."""
    return [
        sa.Column('id', _ID, nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.Column('created_by_id', _ID, nullable=True),
        sa.Column('updated_by_id', _ID, nullable=True),
        sa.Column('owner_id', _ID, nullable=True),
        *[sa.ForeignKeyConstraint([c], ['kernel_user.id'], name=f'fk_{table}_{c}_kernel_user', ondelete='RESTRICT')
          for c in ('created_by_id', 'owner_id', 'updated_by_id')],
        sa.PrimaryKeyConstraint('id', name=f'pk_{table}'),
    ]


def _record_indexes(table: str) -> None:
    op.create_index(f'ix_{table}_owner_id', table, ['owner_id'], unique=False)
    op.create_index(f'ix_{table}_trash', table, ['deleted_at'], unique=False,
                    sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))


def _fk(column: str, table: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=f'fk_{table}_{column}_{target}',
                                   ondelete=ondelete)


def upgrade() -> None:
    t = 'finance_bank'
    op.create_table(t,
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('iban_code', sa.String(length=3), nullable=False),
        sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
        *_record(t))
    _record_indexes(t)
    op.create_index('uq_finance_bank_code', t, ['iban_code'], unique=True)

    t = 'finance_bank_account'
    op.create_table(t,
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('iban', sa.String(length=26), nullable=False),
        sa.Column('bank_id', _ID, nullable=True),
        sa.Column('account_number', sa.String(length=30), nullable=True),
        sa.Column('branch', sa.String(length=120), nullable=True),
        sa.Column('kind', sa.String(length=12), server_default='current', nullable=False),
        sa.Column('holder', sa.String(length=200), nullable=True),
        sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
        sa.Column('notes', sa.Text(), nullable=True),
        _fk('bank_id', t, 'finance_bank'),
        *_record(t))
    _record_indexes(t)
    op.create_index('ix_finance_bank_account_bank_id', t, ['bank_id'], unique=False)
    op.create_index('uq_finance_bank_account_iban', t, ['iban'], unique=True,
                    sqlite_where=sa.text(_LIVE), postgresql_where=sa.text(_LIVE))

    t = 'finance_pos_terminal'
    op.create_table(t,
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('terminal_id', sa.String(length=20), nullable=False),
        sa.Column('provider', sa.String(length=120), nullable=True),
        sa.Column('account_id', _ID, nullable=False),
        sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
        _fk('account_id', t, 'finance_bank_account'),
        *_record(t))
    _record_indexes(t)
    op.create_index('ix_finance_pos_terminal_terminal_id', t, ['terminal_id'], unique=False)
    op.create_index('ix_finance_pos_terminal_account_id', t, ['account_id'], unique=False)

    t = 'finance_cheque'
    op.create_table(t,
        sa.Column('partner_id', _ID, nullable=False),
        sa.Column('invoice_id', _ID, nullable=True),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('number', sa.String(length=30), nullable=False),
        sa.Column('sayad_id', sa.String(length=16), nullable=True),
        sa.Column('bank_id', _ID, nullable=False),
        sa.Column('branch', sa.String(length=120), nullable=True),
        sa.Column('drawn_on', sa.String(length=12), server_default='current', nullable=False),
        sa.Column('account_number', sa.String(length=30), nullable=True),
        sa.Column('due_date', sa.Date(), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('issuer', sa.String(length=200), nullable=False),
        sa.Column('issuer_national_id', sa.String(length=11), nullable=True),
        sa.Column('state', sa.String(length=12), server_default='received', nullable=False),
        sa.Column('revision', sa.Integer(), server_default='0', nullable=False),
        sa.Column('state_on', sa.Date(), nullable=True),
        sa.Column('endorsed_to_id', _ID, nullable=True),
        sa.Column('deposit_account_id', _ID, nullable=True),
        sa.Column('notes', sa.Text(), nullable=True),
        sa.Column('search_key', sa.String(length=600), nullable=False),
        _fk('partner_id', t, 'base_partner'),
        _fk('invoice_id', t, 'finance_invoice'),
        _fk('bank_id', t, 'finance_bank'),
        _fk('endorsed_to_id', t, 'base_partner'),
        _fk('deposit_account_id', t, 'finance_bank_account'),
        *_record(t))
    _record_indexes(t)
    op.create_index('ix_finance_cheque_number', t, ['number'], unique=False)
    op.create_index('ix_finance_cheque_sayad', t, ['sayad_id'], unique=False)
    op.create_index('uq_finance_cheque_bank_sayad', t, ['bank_id', 'sayad_id'], unique=True,
                    sqlite_where=sa.text(f'{_LIVE} AND sayad_id IS NOT NULL'),
                    postgresql_where=sa.text(f'{_LIVE} AND sayad_id IS NOT NULL'))
    op.create_index('ix_finance_cheque_due', t, ['due_date', 'id'], unique=False)
    op.create_index('ix_finance_cheque_partner', t, ['partner_id', 'due_date'], unique=False)
    op.create_index('ix_finance_cheque_invoice_id', t, ['invoice_id'], unique=False)
    op.create_index('ix_finance_cheque_state', t, ['state'], unique=False)
    op.create_index('ix_finance_cheque_endorsed_to_id', t, ['endorsed_to_id'], unique=False)
    op.create_index('ix_finance_cheque_deposit_account_id', t, ['deposit_account_id'], unique=False)

    t = 'finance_cheque_event'
    op.create_table(t,
        sa.Column('id', _ID, nullable=False),
        sa.Column('cheque_id', _ID, nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('on', sa.Date(), nullable=False),
        sa.Column('user_id', _ID, nullable=True),
        sa.Column('from_state', sa.String(length=12), nullable=True),
        sa.Column('to_state', sa.String(length=12), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('endorsed_to_id', _ID, nullable=True),
        sa.Column('account_id', _ID, nullable=True),
        _fk('cheque_id', t, 'finance_cheque', ondelete='CASCADE'),
        _fk('user_id', t, 'kernel_user', ondelete='RESTRICT'),
        _fk('endorsed_to_id', t, 'base_partner'),
        _fk('account_id', t, 'finance_bank_account'),
        sa.PrimaryKeyConstraint('id', name=f'pk_{t}'))
    op.create_index('ix_finance_cheque_event_cheque', t, ['cheque_id', 'id'], unique=False)

    banks = sa.table('finance_bank', sa.column('name', sa.String), sa.column('iban_code', sa.String),
                     sa.column('active', sa.Boolean), sa.column('created_at', sa.DateTime),
                     sa.column('updated_at', sa.DateTime))
    now = dt.datetime(2027, 1, 10)
    op.bulk_insert(banks, [{'name': name, 'iban_code': code, 'active': True, 'created_at': now, 'updated_at': now}
                           for code, name in _BANKS])


def downgrade() -> None:
    for table in ('finance_cheque_event', 'finance_cheque', 'finance_pos_terminal', 'finance_bank_account',
                  'finance_bank'):
        op.drop_table(table)
