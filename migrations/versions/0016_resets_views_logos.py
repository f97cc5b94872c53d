"""password resets, saved views of the influencer list, brand logos

Reviewed by hand. `password_reset` keeps only each link's SHA-256; `saved_view` holds a
named query string of the list, personal or shared; a brand's logo is stored as checked
PNG or JPEG bytes.

Revision ID: 0016_resets_views_logos
Revises: 0015_limit_hits
Create Date: 2026-12-07 09:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016_resets_views_logos'
down_revision = '0015_limit_hits'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'password_reset',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_password_reset_user_id_user'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['issued_by_id'], ['user.id'],
                                name=op.f('fk_password_reset_issued_by_id_user'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_password_reset_token_hash')),
    )
    with op.batch_alter_table('password_reset') as batch:
        batch.create_index(batch.f('ix_password_reset_user_id'), ['user_id'])
    op.create_table(
        'saved_view',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('query', sa.Text(), nullable=False),
        sa.Column('shared', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_saved_view_owner_id_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_view')),
        sa.UniqueConstraint('owner_id', 'name', name=op.f('uq_saved_view_owner_id_name')),
    )
    with op.batch_alter_table('saved_view') as batch:
        batch.create_index('ix_saved_view_shared', ['shared', 'name'])
    with op.batch_alter_table('brand') as batch:
        batch.add_column(sa.Column('logo', sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column('logo_type', sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('brand') as batch:
        batch.drop_column('logo_type')
        batch.drop_column('logo')
    with op.batch_alter_table('saved_view') as batch:
        batch.drop_index('ix_saved_view_shared')
    op.drop_table('saved_view')
    with op.batch_alter_table('password_reset') as batch:
        batch.drop_index(batch.f('ix_password_reset_user_id'))
    op.drop_table('password_reset')
