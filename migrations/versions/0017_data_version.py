"""data version: one row whose token changes with every committed write

Reviewed by hand. Pages that keep results computed from the data (the influencer list)
key them by this token; app/core/data_version.py sets a new random token in every
transaction that wrote, just before its commit.

Revision ID: 0017_data_version
Revises: 0016_resets_views_logos
Create Date: 2026-12-07 15:20:00

"""
import secrets

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017_data_version'
down_revision = '0016_resets_views_logos'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'data_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.BigInteger(), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_data_version_one_row')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version')),
    )
    op.bulk_insert(table, [{'id': 1, 'token': secrets.randbits(62)}])


def downgrade():
    op.drop_table('data_version')
