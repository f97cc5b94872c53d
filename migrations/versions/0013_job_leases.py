"""jobs: a lease (heartbeat) on the rows of the background jobs

Reviewed by hand. `heartbeat_at` on `import`, `scoring_run` and `contract_batch` is
touched by the job while it runs; a row still "running" whose lease is older than
RELAIS_JOB_LEASE_SECONDS is marked failed (app/core/jobs_lease.py): its worker stopped.

Revision ID: 0013_job_leases
Revises: 0012_audit_actions
Create Date: 2026-12-07 04:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013_job_leases'
down_revision = '0012_audit_actions'
branch_labels = None
depends_on = None

TABLES = ('import', 'scoring_run', 'contract_batch')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('heartbeat_at')
