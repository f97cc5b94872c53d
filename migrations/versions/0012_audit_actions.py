"""audit: one user action is one entry; an import's changes name the import

Reviewed by hand. `audit_event.action_id` groups the events one request (or job, or
import run) wrote, so the history shows them as one entry; `audit_event.import_id` is the
import whose run (or revert) wrote the event. Both stay empty on older events.

Revision ID: 0012_audit_actions
Revises: 0011_contract_delivery
Create Date: 2026-12-07 02:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012_audit_actions'
down_revision = '0011_contract_delivery'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_event') as batch:
        batch.add_column(sa.Column('action_id', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('import_id', sa.Integer(), nullable=True))
        batch.create_index(batch.f('ix_audit_event_action_id'), ['action_id'])
        batch.create_index(batch.f('ix_audit_event_import_id'), ['import_id'])


def downgrade():
    with op.batch_alter_table('audit_event') as batch:
        batch.drop_index(batch.f('ix_audit_event_import_id'))
        batch.drop_index(batch.f('ix_audit_event_action_id'))
        batch.drop_column('import_id')
        batch.drop_column('action_id')
