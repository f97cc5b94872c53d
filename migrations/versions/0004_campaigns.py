"""campaigns: participants, operations with their metrics, platform CPMs; interactions
may belong to a campaign (stage changes on the influencer's timeline)

Reviewed by hand: money in cents (BIGINT); on SQLite adding interaction.campaign_id with
its foreign key rebuilds the interaction table (batch mode), which has no triggers.

Revision ID: 0004_campaigns
Revises: 0003_share_index
Create Date: 2026-11-22 01:50:29.151186

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_campaigns'
down_revision = '0003_share_index'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('platform_rate',
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('cpm_cents', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_platform_rate_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('platform', name=op.f('pk_platform_rate'))
    )
    op.create_table('campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('brand_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('objective', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('budget_cents', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('target_platforms', sa.String(length=300), nullable=True),
    sa.Column('target_countries', sa.String(length=300), nullable=True),
    sa.Column('target_gender', sa.String(length=10), nullable=True),
    sa.Column('target_gender_share', sa.Double(), nullable=True),
    sa.Column('target_age_bands', sa.String(length=100), nullable=True),
    sa.Column('target_languages', sa.String(length=100), nullable=True),
    sa.Column('target_interests', sa.Text(), nullable=True),
    sa.Column('kpi_targets', sa.JSON(), nullable=True),
    sa.Column('hashtags', sa.Text(), nullable=True),
    sa.Column('mentions', sa.Text(), nullable=True),
    sa.Column('sector', sa.String(length=40), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['brand_id'], ['brand.id'], name=op.f('fk_campaign_brand_id_brand'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_campaign_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_campaign_owner_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign'))
    )
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_brand_id'), ['brand_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index('ix_campaign_status_dates', ['status', 'starts_on'], unique=False)

    op.create_table('participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('influencer_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('stage_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('proposed_fee_cents', sa.BigInteger(), nullable=True),
    sa.Column('agreed_fee_cents', sa.BigInteger(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_participant_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_participant_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['influencer_id'], ['influencer.id'], name=op.f('fk_participant_influencer_id_influencer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant')),
    sa.UniqueConstraint('campaign_id', 'influencer_id', name='uq_participant_campaign')
    )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_influencer_id'), ['influencer_id'], unique=False)
        batch_op.create_index('ix_participant_stage', ['campaign_id', 'stage'], unique=False)

    op.create_table('operation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=True),
    sa.Column('brief', sa.Text(), nullable=True),
    sa.Column('caption', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('published_url', sa.String(length=500), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('impressions', sa.BigInteger(), nullable=True),
    sa.Column('reach', sa.BigInteger(), nullable=True),
    sa.Column('views', sa.BigInteger(), nullable=True),
    sa.Column('likes', sa.BigInteger(), nullable=True),
    sa.Column('comments', sa.BigInteger(), nullable=True),
    sa.Column('shares', sa.BigInteger(), nullable=True),
    sa.Column('saves', sa.BigInteger(), nullable=True),
    sa.Column('clicks', sa.BigInteger(), nullable=True),
    sa.Column('conversions', sa.BigInteger(), nullable=True),
    sa.Column('revenue_cents', sa.BigInteger(), nullable=True),
    sa.Column('cost_cents', sa.BigInteger(), nullable=True),
    sa.Column('metrics_source', sa.String(length=20), nullable=True),
    sa.Column('metrics_updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_operation_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_operation_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_operation_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'], name=op.f('fk_operation_reviewed_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user.id'], name=op.f('fk_operation_submitted_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_operation'))
    )
    with op.batch_alter_table('operation', schema=None) as batch_op:
        batch_op.create_index('ix_operation_calendar', ['planned_on', 'campaign_id'], unique=False)
        batch_op.create_index('ix_operation_campaign_status', ['campaign_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_operation_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index('ix_operation_status', ['status', 'planned_on'], unique=False)

    with op.batch_alter_table('interaction', schema=None) as batch_op:
        batch_op.add_column(sa.Column('campaign_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_interaction_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_interaction_campaign_id_campaign'), 'campaign', ['campaign_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('interaction', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_interaction_campaign_id_campaign'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_interaction_campaign_id'))
        batch_op.drop_column('campaign_id')

    with op.batch_alter_table('operation', schema=None) as batch_op:
        batch_op.drop_index('ix_operation_status')
        batch_op.drop_index(batch_op.f('ix_operation_participant_id'))
        batch_op.drop_index('ix_operation_campaign_status')
        batch_op.drop_index('ix_operation_calendar')

    op.drop_table('operation')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index('ix_participant_stage')
        batch_op.drop_index(batch_op.f('ix_participant_influencer_id'))

    op.drop_table('participant')
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_index('ix_campaign_status_dates')
        batch_op.drop_index(batch_op.f('ix_campaign_deleted_at'))
        batch_op.drop_index(batch_op.f('ix_campaign_brand_id'))

    op.drop_table('campaign')
    op.drop_table('platform_rate')
