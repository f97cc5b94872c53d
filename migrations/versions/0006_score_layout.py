"""influencer_score: keyed by (influencer, run), no surrogate id, no foreign key on the run

A rescoring writes 100 000 score rows at once; on PostgreSQL that COPY took 2.7 s of a
13.4 s run (bench/README.md, scoring). Per row it paid for a sequence value and five
B-trees, and for two foreign-key triggers: the one on `run_id` locked the same run row
100 000 times (~1 s a run on its own). Now:

* the primary key (influencer_id, run_id) replaces the id, the unique (run_id,
  influencer_id) and the influencer_id index: it serves the per-person lookups of a run
  (equality on both columns) and the influencer's ON DELETE CASCADE (its first column);
* `run_id` keeps no foreign key: runs are never deleted, and the service prunes every
  score whose run is not one of the latest kept (orphans included);
* the influencer's foreign key stays: reverting an import deletes people, and SQLite may
  give a deleted person's id to the next one created.

(run_id, score) and (run_id, community) stay: the list's sort and filter, the top of a run.

Revision ID: 0006_score_layout
Revises: 0005_scoring
Create Date: 2026-11-22 05:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006_score_layout'
down_revision = '0005_scoring'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('influencer_score', schema=None) as batch_op:
        batch_op.drop_constraint('fk_influencer_score_run_id_scoring_run', type_='foreignkey')
        batch_op.drop_constraint('uq_influencer_score_run', type_='unique')
        batch_op.drop_index('ix_influencer_score_influencer_id')
        batch_op.drop_constraint('pk_influencer_score', type_='primary')
        batch_op.drop_column('id')
        batch_op.create_primary_key('pk_influencer_score', ['influencer_id', 'run_id'])


def downgrade():
    postgresql = op.get_bind().dialect.name == 'postgresql'
    with op.batch_alter_table('influencer_score', schema=None) as batch_op:
        batch_op.drop_constraint('pk_influencer_score', type_='primary')
    if postgresql:  # a serial column numbers the rows already there
        op.execute('ALTER TABLE influencer_score ADD COLUMN id SERIAL')
        op.execute('ALTER TABLE influencer_score ADD CONSTRAINT pk_influencer_score '
                   'PRIMARY KEY (id)')
    with op.batch_alter_table('influencer_score', schema=None) as batch_op:
        if not postgresql:  # SQLite numbers the rows of an INTEGER PRIMARY KEY it copies
            batch_op.add_column(sa.Column('id', sa.Integer(), nullable=False))
            batch_op.create_primary_key('pk_influencer_score', ['id'])
        batch_op.create_index('ix_influencer_score_influencer_id', ['influencer_id'],
                              unique=False)
        batch_op.create_unique_constraint('uq_influencer_score_run', ['run_id', 'influencer_id'])
        batch_op.create_foreign_key('fk_influencer_score_run_id_scoring_run', 'scoring_run',
                                    ['run_id'], ['id'], ondelete='CASCADE')
