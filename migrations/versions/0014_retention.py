"""retention: how long import files are kept (an admin setting)

Reviewed by hand. One row (id 1) in `retention_settings`; without it the default (30 days)
applies.

Revision ID: 0014_retention
Revises: 0013_job_leases
Create Date: 2026-12-07 04:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_retention'
down_revision = '0013_job_leases'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'retention_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('import_file_days', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'],
                                name=op.f('fk_retention_settings_updated_by_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_settings')),
    )


def downgrade():
    op.drop_table('retention_settings')
