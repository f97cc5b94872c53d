"""imports: uploaded files, rejected rows, changes for revert, saved mappings

Reviewed by hand: on SQLite, adding (and dropping) `influencer.import_id` with its foreign
key rebuilds the influencer table (batch mode), which drops the FTS5 search triggers of
0001: both directions put them back. (An in-place ALTER TABLE ADD COLUMN … REFERENCES
would not be reflected with its ON DELETE rule, so models and schema would differ.)

Revision ID: 0002_imports
Revises: 0001_initial
Create Date: 2026-11-22 00:31:46.023063

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_imports'
down_revision = '0001_initial'
branch_labels = None
depends_on = None

# Migration 0001's FTS5 triggers, copied so that this revision stays self-contained.
SQLITE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS influencer_fts_insert AFTER INSERT ON influencer "
    "WHEN NOT EXISTS (SELECT 1 FROM influencer_fts_pause) BEGIN "
    "INSERT INTO influencer_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS influencer_fts_delete AFTER DELETE ON influencer BEGIN "
    "INSERT INTO influencer_fts(influencer_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS influencer_fts_update AFTER UPDATE OF search_text "
    "ON influencer BEGIN "
    "INSERT INTO influencer_fts(influencer_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO influencer_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
)


def upgrade():
    op.create_table('import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('stored_path', sa.String(length=1000), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('encoding', sa.String(length=40), nullable=False),
    sa.Column('delimiter', sa.String(length=4), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('headers_signature', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('total_rows', sa.Integer(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('dry_run', sa.Boolean(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reverted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reverted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_import_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reverted_by_id'], ['user.id'], name=op.f('fk_import_reverted_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_import_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import'))
    )
    with op.batch_alter_table('import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_user_id'), ['user_id'], unique=False)

    op.create_table('saved_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('headers_signature', sa.String(length=64), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_saved_mapping_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_mapping')),
    sa.UniqueConstraint('headers_signature', name=op.f('uq_saved_mapping_headers_signature'))
    )
    op.create_table('import_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('influencer_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('created_account_ids', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['import.id'], name=op.f('fk_import_change_import_id_import'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_change'))
    )
    with op.batch_alter_table('import_change', schema=None) as batch_op:
        batch_op.create_index('ix_import_change_import', ['import_id', 'influencer_id'], unique=False)

    op.create_table('import_problem',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('column', sa.String(length=500), nullable=False),
    sa.Column('value', sa.String(length=500), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['import.id'], name=op.f('fk_import_problem_import_id_import'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_problem'))
    )
    with op.batch_alter_table('import_problem', schema=None) as batch_op:
        batch_op.create_index('ix_import_problem_import', ['import_id', 'line'], unique=False)

    with op.batch_alter_table('influencer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_influencer_import_id'), ['import_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_influencer_import_id_import'), 'import', ['import_id'], ['id'], ondelete='SET NULL')
    if op.get_bind().dialect.name == "sqlite":
        # SQLite rebuilt the table to add the foreign key: the search triggers went with
        # the old one.
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table('influencer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_influencer_import_id_import'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_influencer_import_id'))
        batch_op.drop_column('import_id')
    if sqlite:
        # The rebuild dropped the search triggers (they belong to the old table).
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)

    with op.batch_alter_table('import_problem', schema=None) as batch_op:
        batch_op.drop_index('ix_import_problem_import')

    op.drop_table('import_problem')
    with op.batch_alter_table('import_change', schema=None) as batch_op:
        batch_op.drop_index('ix_import_change_import')

    op.drop_table('import_change')
    op.drop_table('saved_mapping')
    with op.batch_alter_table('import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_user_id'))

    op.drop_table('import')
