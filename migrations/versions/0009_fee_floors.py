"""fee floors: the minimum fee per platform and follower tier under the fee estimates

Reviewed by hand: one table, seeded with the default floors (French market, euros excluding
tax) that app/models/rates.py documents as DEFAULT_FEE_FLOORS; a frozen copy here, as a
migration never imports the app. Admins change them on the rates page.

Revision ID: 0009_fee_floors
Revises: 0008_import_queued
Create Date: 2026-12-07 02:40:00

"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009_fee_floors'
down_revision = '0008_import_queued'
branch_labels = None
depends_on = None

TIERS = ("nano", "micro", "mid", "macro", "mega")
FLOORS = {
    "instagram": (50, 200, 1_000, 4_000, 8_000),
    "tiktok": (40, 150, 800, 3_000, 6_000),
    "youtube": (100, 400, 2_000, 6_000, 12_000),
    "x": (20, 80, 400, 1_500, 3_000),
    "facebook": (30, 120, 600, 2_000, 4_000),
    "linkedin": (50, 200, 1_000, 3_000, 6_000),
    "snapchat": (30, 120, 600, 2_000, 4_000),
    "twitch": (50, 200, 1_000, 3_000, 6_000),
    "pinterest": (30, 100, 500, 1_500, 3_000),
    "threads": (20, 80, 400, 1_500, 3_000),
    "bluesky": (20, 60, 300, 1_000, 2_000),
    "blog": (50, 200, 800, 2_500, 5_000),
    "podcast": (80, 300, 1_500, 4_000, 8_000),
    "newsletter": (50, 200, 1_000, 3_000, 6_000),
    "other": (30, 100, 500, 1_500, 3_000),
}


def upgrade():
    table = op.create_table('fee_floor',
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('tier', sa.String(length=10), nullable=False),
    sa.Column('floor_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_fee_floor_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('platform', 'tier', name=op.f('pk_fee_floor'))
    )
    now = datetime.now(timezone.utc)
    op.bulk_insert(table, [
        {"platform": platform, "tier": tier, "floor_cents": euros * 100, "currency": "EUR",
         "created_at": now, "updated_at": now}
        for platform, floors in FLOORS.items() for tier, euros in zip(TIERS, floors)])


def downgrade():
    op.drop_table('fee_floor')
