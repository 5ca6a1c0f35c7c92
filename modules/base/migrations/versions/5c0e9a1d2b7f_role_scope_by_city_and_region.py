"""role scope by city and region; each report its own permission

Revision ID: 5c0e9a1d2b7f
Revises: 47980d7713d0
Create Date: 2026-12-06 15:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '5c0e9a1d2b7f'
down_revision = '47980d7713d0'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
# Base's reports became grantable one by one (<report key>.report). A role that could open a
# report before (it held the report's data permission) keeps it after the upgrade.
REPORTS = {
    'base.by_position.report': 'base.partner.view',
    'base.partners_by_province.report': 'base.partner.view',
    'base.communications_summary.report': 'base.communication.view',
    'base.daily.report': 'base.communication.view',
}


def upgrade() -> None:
    op.create_table('base_role_city',
    sa.Column('role_id', ID, nullable=False),
    sa.Column('city_id', ID, nullable=False),
    sa.ForeignKeyConstraint(['city_id'], ['base_city.id'], name=op.f('fk_base_role_city_city_id_base_city'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['role_id'], ['kernel_role.id'], name=op.f('fk_base_role_city_role_id_kernel_role'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('role_id', 'city_id', name=op.f('pk_base_role_city'))
    )
    op.create_table('base_role_region',
    sa.Column('role_id', ID, nullable=False),
    sa.Column('region_id', ID, nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['base_region.id'], name=op.f('fk_base_role_region_region_id_base_region'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['role_id'], ['kernel_role.id'], name=op.f('fk_base_role_region_role_id_kernel_role'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('role_id', 'region_id', name=op.f('pk_base_role_region'))
    )
    for report_perm, data_perm in REPORTS.items():
        op.execute(sa.text(
            "INSERT INTO kernel_role_permission (role_id, permission) "
            "SELECT rp.role_id, :report FROM kernel_role_permission rp WHERE rp.permission = :data "
            "AND NOT EXISTS (SELECT 1 FROM kernel_role_permission x WHERE x.role_id = rp.role_id "
            "AND x.permission = :report)").bindparams(report=report_perm, data=data_perm))


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM kernel_role_permission WHERE permission IN :perms").bindparams(
        sa.bindparam('perms', list(REPORTS), expanding=True)))
    op.drop_table('base_role_region')
    op.drop_table('base_role_city')
