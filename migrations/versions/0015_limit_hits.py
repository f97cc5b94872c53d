"""limit hits: failed-login and other rate-limit counters shared by every web worker

Reviewed by hand. Without `REDIS_URL`, Flask-Limiter counts in `limit_hit` (one row per
hashed limit key and fixed window), so `gunicorn -w N` no longer multiplies the limits.

Revision ID: 0015_limit_hits
Revises: 0014_retention
Create Date: 2026-12-07 04:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_limit_hits'
down_revision = '0014_retention'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'limit_hit',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_limit_hit')),
    )
    with op.batch_alter_table('limit_hit') as batch:
        batch.create_index(batch.f('ix_limit_hit_expires_at'), ['expires_at'])


def downgrade():
    with op.batch_alter_table('limit_hit') as batch:
        batch.drop_index(batch.f('ix_limit_hit_expires_at'))
    op.drop_table('limit_hit')
