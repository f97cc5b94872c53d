"""names in French order, accent-blind search, lists by one platform's figures

Reviewed by hand. Influencers, brands, campaigns and users get `sort_name`, the name's
French sort key (app/collation.py: no case, no accents, ligatures spelled out),
compared byte for byte ("C" on PostgreSQL) and indexed with the id that breaks ties; the
influencer list's name index moves onto it. Existing rows get their keys here, computed in
Python, and the influencers' search text is folded the same way (on SQLite the search
table's update trigger re-indexes each row changed). Two indexes on the social accounts
serve the list's sorts by one platform's followers or engagement.

Revision ID: 0010_sort_keys
Revises: 0009_fee_floors
Create Date: 2026-12-07 02:40:00

"""
import sqlalchemy as sa
from alembic import op

from app.collation import fold, sort_key

# revision identifiers, used by Alembic.
revision = '0010_sort_keys'
down_revision = '0009_fee_floors'
branch_labels = None
depends_on = None

LIVE = sa.text('deleted_at IS NULL')
NAMES = (('influencer', 'display_name'), ('brand', 'name'), ('campaign', 'name'),
         ('user', 'name'))
CHUNK = 2000


def _key_type():
    collation = 'C' if op.get_bind().dialect.name == 'postgresql' else None
    return sa.String(200, collation=collation)


def _fill(table_name: str, source: str) -> None:
    """Every row's key, and the influencers' search text folded, written by chunks."""
    connection = op.get_bind()
    searched = table_name == 'influencer'
    columns = [sa.column('id'), sa.column(source), sa.column('sort_name')]
    if searched:
        columns.append(sa.column('search_text'))
    table = sa.table(table_name, *columns)
    rows = connection.execute(sa.select(*table.c).order_by(table.c.id)).all()
    for start in range(0, len(rows), CHUNK):
        changes = []
        for row in rows[start:start + CHUNK]:
            values = {'b_id': row.id, 'sort_name': sort_key(getattr(row, source))}
            if searched:
                values['search_text'] = fold(row.search_text or '')
            changes.append(values)
        if changes:
            connection.execute(table.update().where(table.c.id == sa.bindparam('b_id'))
                               .values({name: sa.bindparam(name) for name in changes[0]
                                        if name != 'b_id'}), changes)


def upgrade():
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for table_name, source in NAMES:
        # SQLite adds a NOT NULL column only with a default; it is filled at once.
        op.add_column(table_name, sa.Column('sort_name', _key_type(), nullable=False,
                                            server_default=''))
        _fill(table_name, source)
        if postgresql:
            op.alter_column(table_name, 'sort_name', server_default=None)
    op.drop_index('ix_influencer_live_name', table_name='influencer',
                  sqlite_where=LIVE, postgresql_where=LIVE)
    op.create_index('ix_influencer_live_name', 'influencer', ['sort_name', 'id'],
                    unique=False, sqlite_where=LIVE, postgresql_where=LIVE)
    for table_name in ('brand', 'campaign', 'user'):
        op.create_index(f'ix_{table_name}_sort_name', table_name, ['sort_name', 'id'],
                        unique=False)
    op.create_index('ix_social_account_platform_followers', 'social_account',
                    ['platform', 'followers', 'influencer_id'], unique=False)
    op.create_index('ix_social_account_platform_engagement', 'social_account',
                    ['platform', 'engagement_rate', 'influencer_id'], unique=False)


def downgrade():
    op.drop_index('ix_social_account_platform_engagement', table_name='social_account')
    op.drop_index('ix_social_account_platform_followers', table_name='social_account')
    for table_name in ('brand', 'campaign', 'user'):
        op.drop_index(f'ix_{table_name}_sort_name', table_name=table_name)
    op.drop_index('ix_influencer_live_name', table_name='influencer',
                  sqlite_where=LIVE, postgresql_where=LIVE)
    op.create_index('ix_influencer_live_name', 'influencer', ['display_name', 'id'],
                    unique=False, sqlite_where=LIVE, postgresql_where=LIVE)
    # The folded search text stays: the earlier code searched it lower-cased, as it is.
    # A plain DROP COLUMN (SQLite ≥ 3.35): rebuilding `influencer` in a batch would lose
    # the search table's triggers.
    for table_name, _source in NAMES:
        op.drop_column(table_name, 'sort_name')
