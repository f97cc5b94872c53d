"""imports: "queued" is a status of its own

Reviewed by hand: data only. An import waiting for its job was stored as "running" with no
start time; it now reads "queued", and the job only takes a queued import.

Revision ID: 0008_import_queued
Revises: 0007_contracts
Create Date: 2026-12-06 23:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008_import_queued'
down_revision = '0007_contracts'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE \"import\" SET status = 'queued' "
               "WHERE status = 'running' AND started_at IS NULL")


def downgrade():
    op.execute("UPDATE \"import\" SET status = 'running', started_at = NULL "
               "WHERE status = 'queued'")
