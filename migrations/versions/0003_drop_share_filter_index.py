"""drop ix_audience_share_filter: audience filters read the influencer's own columns

The list's audience filters became column tests on `influencer` (the main account's
latest audience is copied there), so this five-column index on every audience share was
only paid for, on each snapshot written: about a quarter of the share rows' insert time
in a CSV import.

Revision ID: 0003_share_index
Revises: 0002_imports
Create Date: 2026-11-22 01:45:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0003_share_index'
down_revision = '0002_imports'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audience_share', schema=None) as batch_op:
        batch_op.drop_index('ix_audience_share_filter')


def downgrade():
    with op.batch_alter_table('audience_share', schema=None) as batch_op:
        batch_op.create_index('ix_audience_share_filter',
                              ['dimension', 'key', 'is_latest', 'share', 'influencer_id'],
                              unique=False)
